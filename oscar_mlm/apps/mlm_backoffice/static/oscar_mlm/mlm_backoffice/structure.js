/* The structure tree of the partner back office: each member's first line is loaded when
 * it is opened (disclosure buttons: a native <button> with aria-expanded/aria-controls, so
 * Tab, Enter and Space work and screen readers announce the state). The server renders the
 * list items; this script only fetches and inserts them. Without JavaScript the "open from
 * here" links show any member's first line as its own page. */
(function () {
    "use strict";

    var tree = document.getElementById("mlm-tree");
    if (!tree) {
        return;
    }
    var status = document.getElementById("mlm-tree-status");

    function announce(text) {
        if (status) {
            status.textContent = "";
            window.setTimeout(function () { status.textContent = text; }, 50);
        }
    }

    function fetchItems(url) {
        return fetch(url, {
            credentials: "same-origin",
            headers: {"X-Requested-With": "XMLHttpRequest"}
        }).then(function (response) {
            if (!response.ok) {
                throw new Error(String(response.status));
            }
            return response.text();
        });
    }

    function loaded(list) {
        var count = list.querySelectorAll(":scope > .mlm-node").length;
        announce(tree.dataset.loaded.replace("%(count)s", String(count)));
    }

    function toggle(button) {
        var list = document.getElementById(button.getAttribute("aria-controls"));
        if (!list) {
            return;
        }
        if (button.getAttribute("aria-expanded") === "true") {
            button.setAttribute("aria-expanded", "false");
            list.hidden = true;
            return;
        }
        if (list.dataset.loaded === "1") {
            button.setAttribute("aria-expanded", "true");
            list.hidden = false;
            return;
        }
        button.setAttribute("aria-busy", "true");
        button.disabled = true;
        fetchItems(button.dataset.url).then(function (html) {
            list.innerHTML = html;
            list.dataset.loaded = "1";
            list.hidden = false;
            button.setAttribute("aria-expanded", "true");
            loaded(list);
        }).catch(function () {
            announce(tree.dataset.error);
        }).finally(function () {
            button.removeAttribute("aria-busy");
            button.disabled = false;
            button.focus();
        });
    }

    function more(link) {
        var item = link.closest(".mlm-more");
        var list = item.parentNode;
        var before = list.querySelectorAll(":scope > .mlm-node").length;
        link.setAttribute("aria-busy", "true");
        fetchItems(link.dataset.url).then(function (html) {
            item.insertAdjacentHTML("beforebegin", html);
            item.remove();
            var nodes = list.querySelectorAll(":scope > .mlm-node");
            var first = nodes[before] && nodes[before].querySelector(".mlm-node-name");
            if (first) {
                first.focus();
            }
            announce(tree.dataset.loaded.replace("%(count)s", String(nodes.length - before)));
        }).catch(function () {
            link.removeAttribute("aria-busy");
            announce(tree.dataset.error);
        });
    }

    tree.addEventListener("click", function (event) {
        var button = event.target.closest(".mlm-toggle");
        if (button && tree.contains(button)) {
            event.preventDefault();
            toggle(button);
            return;
        }
        var link = event.target.closest(".mlm-more-link");
        if (link && tree.contains(link)) {
            event.preventDefault();
            more(link);
        }
    });
}());
