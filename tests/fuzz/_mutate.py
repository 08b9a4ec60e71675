"""Ways files get damaged, shared by the mutation and generated-story fuzzers."""

from __future__ import annotations

import random

# Text a hostile or careless author might put anywhere in a file.
TOKENS = [
    "9" * 5000, "-" + "9" * 40, "1e999", ".inf", ".nan", "0x1F", "0o17", "~", "null", "[]", "{}",
    "!!python/object/apply:os.system ['echo pwned']", "!!binary aGk=", "!!set {a}", "!custom x",
    "&anchor", "*anchor", "*nowhere", "<<: *anchor", "? [a, b]", "- ", ": ", "|", ">-", "#",
    "{if", "{end}", "{else}", "{{", "}}", "{freedom", "{1/0}", "{visits(\"x\")}", "%TAG ! x",
    "---", "...", "\t", "'", '"', "`", "\\", "\x00", "\u202e", "\u200b", "\ufeff", "𝔐𝔢𝔱𝔞𝔩",
    "ｆｒｅｅｄｏｍ", "[@click=app.quit]", "[bold]x[/]", "\x1b[2J", "__import__('os')",
    "freedom += 99999999999999999999", "random(1, 1000000000000000000)", "not not not true",
    "(" * 40 + "1" + ")" * 40, "x" * 600, "[" * 6000, "{a: " * 300, "- " * 3000,
]
INTERESTING_BYTES = [b"\x00", b"\xff", b"\xc3", b"\x80", b"\t", b"\r", b"\n", b":", b"-", b"{", b"}", b"&", b"*", b"!", b"|", b"'", b'"', b"#", b"%", b"@"]


def mutate_lines(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines) or [""]
    op = rng.randrange(9)
    i = rng.randrange(len(lines))
    if op == 0:  # a lost line
        del lines[i]
    elif op == 1:  # a doubled line (duplicate keys, duplicate scene ids)
        lines.insert(i, lines[i])
    elif op == 2:  # two lines swapped
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:  # indentation shifted, for one line or a block
        width = rng.randint(1, 12)
        block = lines[i : i + rng.randint(1, 6)]
        if rng.random() < 0.5:
            block = [" " * rng.randint(1, 4) + line for line in block]
        else:
            block = [line[min(len(line) - len(line.lstrip(" ")), rng.randint(1, 4)) :] for line in block]
        lines[i : i + width] = block + lines[i + len(block) : i + width]
    elif op == 4:  # a token swapped with one from another line
        j = rng.randrange(len(lines))
        a, b = lines[i].split(" "), lines[j].split(" ")
        x, y = rng.randrange(len(a)), rng.randrange(len(b))
        if i == j:
            a[x], a[y % len(a)] = a[y % len(a)], a[x]
        else:
            a[x], b[y] = b[y], a[x]
            lines[j] = " ".join(b)
        lines[i] = " ".join(a)
    elif op == 5:  # a hostile token dropped in
        pos = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:pos] + rng.choice(TOKENS) + lines[i][pos:]
    elif op == 6:  # a value replaced by a hostile one
        key, sep, _ = lines[i].partition(": ")
        if sep:
            lines[i] = key + sep + rng.choice(TOKENS)
    elif op == 7:  # a whole block repeated (many duplicate scenes)
        lines[i:i] = lines[i : i + rng.randint(2, 30)]
    else:  # the line's text reversed: keys and values in the wrong places
        lines[i] = lines[i][::-1]
    return lines


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return rng.choice(INTERESTING_BYTES)
    buf = bytearray(data)
    op = rng.randrange(4)
    i = rng.randrange(len(buf))
    if op == 0:  # a flipped bit
        buf[i] ^= 1 << rng.randrange(8)
    elif op == 1:
        buf[i : i + 1] = rng.choice(INTERESTING_BYTES)
    elif op == 2:
        buf[i:i] = rng.choice(INTERESTING_BYTES)
    else:  # cut off, as by a crash mid-write
        del buf[i:]
    return bytes(buf)
