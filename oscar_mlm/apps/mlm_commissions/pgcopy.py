"""Moving numpy arrays in and out of PostgreSQL at the database's own speed.

A run reads a million volume records and writes millions of lines. Row by
row through the driver that is seconds of Python per million rows. Writes
use PostgreSQL's binary ``COPY`` format built with numpy; reads let the server
pack the rows into one ``bytea`` that numpy reads as it is. Only fixed-width
types are used: ``int2``, ``int4``, ``int8``, ``bool`` and ``numeric`` (sent as
a fixed four-group number and normalised by the server), with NULL for a zero
where a column allows it.
"""

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"

# numeric: ndigits=4, weight=2 (groups of 10^8, 10^4, 10^0 and the fraction), dscale
NUMERIC_GROUPS = 4


def _numeric_fields(values, scale):
    """Big-endian numeric payloads of ``values`` (int64 in units of 10**-scale)."""
    values = np.asarray(values, dtype=np.int64)
    n = len(values)
    out = np.zeros((n, 4 + NUMERIC_GROUPS), dtype=">u2")
    sign = values < 0
    mag = np.abs(values)
    unit = 10**scale
    whole, frac = mag // unit, mag % unit
    if (whole >= 10**12).any():
        raise ValueError("number too large for numeric copy")
    out[:, 0] = NUMERIC_GROUPS
    out[:, 1] = 2  # weight of the first group
    out[:, 2] = np.where(sign, 0x4000, 0x0000)
    out[:, 3] = scale
    out[:, 4] = whole // 10**8
    out[:, 5] = (whole // 10**4) % 10**4
    out[:, 6] = whole % 10**4
    # the fraction as one base-10000 group: scale <= 4 digits, left-aligned
    out[:, 7] = frac * 10 ** (4 - scale)
    return out


# Rows encoded at a time: bounds the memory of the encoding whatever the size.
CHUNK_ROWS = 100_000

WIDTHS = {"int2": (2, ">i2"), "int4": (4, ">i4"), "int8": (8, ">i8"), "bool": (1, "u1")}


def copy_in(cursor, table, columns):
    """Write rows with one ``COPY ... FROM STDIN (FORMAT binary)``.

    ``columns`` is a list of ``(name, kind, values)`` with kind ``int2``,
    ``int4``, ``int8``, ``bool`` or ``numeric:S`` (int64 in units of 10**-S);
    a kind ending in ``?`` writes 0 as NULL.
    """
    n = len(columns[0][2])
    for name, _kind, values in columns:
        if len(values) != n:
            raise ValueError(f"column {name} has {len(values)} values, expected {n}")
    names = ", ".join(f'"{c[0]}"' for c in columns)
    sql = f'COPY "{table}" ({names}) FROM STDIN (FORMAT binary)'
    with _raw(cursor).copy(sql) as copy:
        copy.write(SIGNATURE)
        for start in range(0, n, CHUNK_ROWS):
            stop = min(n, start + CHUNK_ROWS)
            copy.write(_encode([(k, np.asarray(v)[start:stop]) for _, k, v in columns]))
        copy.write(TRAILER)


def _encode(columns):
    """The binary COPY rows of ``[(kind, values)]`` (one chunk)."""
    n = len(columns[0][1])
    parts = []  # (width, payload bytes per row, null mask)
    for kind, values in columns:
        nullable = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind.startswith("numeric:"):
            payload = _numeric_fields(values, int(kind.split(":")[1]))
            parts.append((2 * payload.shape[1], payload.view(np.uint8).reshape(n, -1), None))
        else:
            width, dtype = WIDTHS[kind]
            payload = values.astype(dtype).view(np.uint8).reshape(n, width)
            parts.append((width, payload, values == 0 if nullable else None))
    row_width = 2 + sum(4 + width for width, _, _ in parts)
    rows = np.empty((n, row_width), dtype=np.uint8)
    rows[:, 0:2] = np.frombuffer(np.array([len(columns)], dtype=">i2").tobytes(), np.uint8)
    keep = None
    pos = 2
    for width, payload, null in parts:
        length = np.full(n, width, dtype=">i4")
        if null is not None and null.any():
            length[null] = -1
            if keep is None:
                keep = np.ones((n, row_width), dtype=bool)
            keep[null, pos + 4 : pos + 4 + width] = False
        rows[:, pos : pos + 4] = length.view(np.uint8).reshape(n, 4)
        rows[:, pos + 4 : pos + 4 + width] = payload
        pos += 4 + width
    return rows[keep].tobytes() if keep is not None else rows.tobytes()


SEND = {"int8": ("int8send", ">i8"), "int4": ("int4send", ">i4"), "int2": ("int2send", ">i2"),
        "bool": ("boolsend", "u1")}


def copy_out(cursor, sql, params, fields):
    """Rows of ``sql`` as a numpy structured array, fetched as one packed value.

    The server packs every row into fixed-width big-endian bytes and
    aggregates them into one ``bytea`` (a ``COPY TO`` sends one message per
    row, which costs a Python call each). Every selected column must be NOT
    NULL and of the type named in ``fields`` (``[(name, "int8"|"int4"|"int2"|"bool")]``).
    """
    aliases = [f"c{i}" for i in range(len(fields))]
    packed = " || ".join(f"{SEND[kind][0]}(t.{a})" for a, (_, kind) in zip(aliases, fields,
                                                                        strict=True))
    cursor.execute(
        f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS t({', '.join(aliases)})",
        params,
    )
    data = cursor.fetchone()[0]
    dtype = np.dtype([(name, SEND[kind][1]) for name, kind in fields])
    rows = np.frombuffer(bytes(data or b""), dtype=dtype)
    native = np.zeros(len(rows), dtype=[(name, SEND[kind][1].replace(">", "<"))
                                        for name, kind in fields])
    for name, _ in fields:
        native[name] = rows[name]
    return native


def column_kind(field, connection):
    """The copy kind of a model field's column (``int4``, ``int8``, ``numeric:2`` ...)."""
    db_type = field.db_type(connection).lower()
    if db_type.startswith("numeric"):
        return f"numeric:{field.decimal_places}"
    kind = {"integer": "int4", "serial": "int4", "bigint": "int8", "bigserial": "int8",
            "smallint": "int2", "boolean": "bool"}[db_type.split()[0]]
    return kind + ("?" if field.null else "")


def _raw(cursor):
    """The psycopg cursor under Django's wrapper."""
    return getattr(cursor, "cursor", cursor)
