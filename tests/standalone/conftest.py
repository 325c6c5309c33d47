import os

# The cases run in their own pytest process per combination of apps
# (test_standalone.py); the main run only starts those processes.
collect_ignore = [] if os.environ.get("MLM_STANDALONE") else ["cases"]
