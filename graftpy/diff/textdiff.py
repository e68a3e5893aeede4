"""The diff-match-patch algorithm, as graft's diff uses it for text changes.

graft (through dyff and go-diff) reports a multi-line string change as the
list of inserted and deleted line blocks that diff-match-patch finds, so the
blocks printed depend on that algorithm's exact choices: common prefix and
suffix trimming, the "half match" shortcut, Myers' bisection and the final
merge clean-up. This module implements those steps (without a time limit).
"""

from __future__ import annotations

DELETE = -1
EQUAL = 0
INSERT = 1

Diff = tuple[int, str]


def diff_lines(text1: str, text2: str) -> list[Diff]:
    """A line-level diff: every line (with its newline) is compared as one unit."""
    lines: list[str] = [""]
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        out = []
        start = 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end == -1 else end + 1
            line = text[start:end]
            start = end
            if line not in index:
                lines.append(line)
                index[line] = len(lines) - 1
            out.append(chr(_code(index[line])))
        return "".join(out)

    chars1, chars2 = encode(text1), encode(text2)
    return [
        (op, "".join(lines[_index(ord(c))] for c in text)) for op, text in diff_main(chars1, chars2)
    ]


def _code(i: int) -> int:
    # skip the surrogate range as go-diff does, so indexes stay valid runes
    return i if i < 0xD800 else i + 0x800


def _index(c: int) -> int:
    return c if c < 0xD800 else c - 0x800


def diff_main(text1: str, text2: str) -> list[Diff]:
    if text1 == text2:
        return [(EQUAL, text1)] if text1 else []
    prefix = _common_prefix(text1, text2)
    head = text1[:prefix]
    text1, text2 = text1[prefix:], text2[prefix:]
    suffix = _common_suffix(text1, text2)
    tail = text1[len(text1) - suffix :] if suffix else ""
    if suffix:
        text1, text2 = text1[:-suffix], text2[:-suffix]
    diffs = _compute(text1, text2)
    if head:
        diffs.insert(0, (EQUAL, head))
    if tail:
        diffs.append((EQUAL, tail))
    return cleanup_merge(diffs)


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def _compute(text1: str, text2: str) -> list[Diff]:
    if not text1:
        return [(INSERT, text2)]
    if not text2:
        return [(DELETE, text1)]
    long, short = (text1, text2) if len(text1) > len(text2) else (text2, text1)
    i = long.find(short)
    if i != -1:
        op = DELETE if len(text1) > len(text2) else INSERT
        return [(op, long[:i]), (EQUAL, short), (op, long[i + len(short) :])]
    if len(short) == 1:
        return [(DELETE, text1), (INSERT, text2)]
    hm = _half_match(text1, text2)
    if hm is not None:
        a1, b1, a2, b2, common = hm
        return diff_main(a1, a2) + [(EQUAL, common)] + diff_main(b1, b2)
    return _bisect(text1, text2)


def _half_match(text1: str, text2: str) -> tuple[str, str, str, str, str] | None:
    long, short = (text1, text2) if len(text1) > len(text2) else (text2, text1)
    if len(long) < 4 or len(short) * 2 < len(long):
        return None
    hm1 = _half_match_at(long, short, (len(long) + 3) // 4)
    hm2 = _half_match_at(long, short, (len(long) + 1) // 2)
    if hm1 is None and hm2 is None:
        return None
    hm = hm1 if hm2 is None or (hm1 is not None and len(hm1[4]) > len(hm2[4])) else hm2
    assert hm is not None
    if len(text1) > len(text2):
        return hm
    return hm[2], hm[3], hm[0], hm[1], hm[4]


def _half_match_at(long: str, short: str, i: int) -> tuple[str, str, str, str, str] | None:
    seed = long[i : i + len(long) // 4]
    best = ("", "", "", "", "")
    best_len = 0
    j = short.find(seed)
    while j != -1:
        prefix = _common_prefix(long[i:], short[j:])
        suffix = _common_suffix(long[:i], short[:j])
        if best_len < prefix + suffix:
            common = short[j - suffix : j] + short[j : j + prefix]
            best_len = len(common)
            best = (
                long[: i - suffix],
                long[i + prefix :],
                short[: j - suffix],
                short[j + prefix :],
                common,
            )
        j = short.find(seed, j + 1)
    return best if best_len * 2 >= len(long) else None


def _bisect(text1: str, text2: str) -> list[Diff]:
    """Myers' middle snake, then the two halves recursively."""
    n1, n2 = len(text1), len(text2)
    max_d = (n1 + n2 + 1) // 2
    offset = max_d
    size = 2 * max_d
    v1 = [-1] * size
    v2 = [-1] * size
    v1[offset + 1] = 0
    v2[offset + 1] = 0
    delta = n1 - n2
    front = delta % 2 != 0
    k1start = k1end = k2start = k2end = 0
    for d in range(max_d):
        for k1 in range(-d + k1start, d - k1end + 1, 2):
            k1o = offset + k1
            if k1 == -d or (k1 != d and v1[k1o - 1] < v1[k1o + 1]):
                x1 = v1[k1o + 1]
            else:
                x1 = v1[k1o - 1] + 1
            y1 = x1 - k1
            while x1 < n1 and y1 < n2 and text1[x1] == text2[y1]:
                x1 += 1
                y1 += 1
            v1[k1o] = x1
            if x1 > n1:
                k1end += 2
            elif y1 > n2:
                k1start += 2
            elif front:
                k2o = offset + delta - k1
                if 0 <= k2o < size and v2[k2o] != -1 and x1 >= n1 - v2[k2o]:
                    return _bisect_split(text1, text2, x1, y1)
        for k2 in range(-d + k2start, d - k2end + 1, 2):
            k2o = offset + k2
            if k2 == -d or (k2 != d and v2[k2o - 1] < v2[k2o + 1]):
                x2 = v2[k2o + 1]
            else:
                x2 = v2[k2o - 1] + 1
            y2 = x2 - k2
            while x2 < n1 and y2 < n2 and text1[n1 - x2 - 1] == text2[n2 - y2 - 1]:
                x2 += 1
                y2 += 1
            v2[k2o] = x2
            if x2 > n1:
                k2end += 2
            elif y2 > n2:
                k2start += 2
            elif not front:
                k1o = offset + delta - k2
                if 0 <= k1o < size and v1[k1o] != -1:
                    x1 = v1[k1o]
                    y1 = offset + x1 - k1o
                    if x1 >= n1 - x2:
                        return _bisect_split(text1, text2, x1, y1)
    return [(DELETE, text1), (INSERT, text2)]


def _bisect_split(text1: str, text2: str, x: int, y: int) -> list[Diff]:
    return diff_main(text1[:x], text2[:y]) + diff_main(text1[x:], text2[y:])


def cleanup_merge(diffs: list[Diff]) -> list[Diff]:
    """Merge runs of edits, factor out their common affixes, then shift single edits."""
    out: list[list] = [[op, text] for op, text in diffs]
    out.append([EQUAL, ""])
    pointer = 0
    n_del = n_ins = 0
    t_del = t_ins = ""
    while pointer < len(out):
        op = out[pointer][0]
        if op == INSERT:
            n_ins += 1
            t_ins += out[pointer][1]
            pointer += 1
            continue
        if op == DELETE:
            n_del += 1
            t_del += out[pointer][1]
            pointer += 1
            continue
        if n_del + n_ins > 1:
            if n_del and n_ins:
                common = _common_prefix(t_ins, t_del)
                if common:
                    x = pointer - n_del - n_ins
                    if x > 0 and out[x - 1][0] == EQUAL:
                        out[x - 1][1] += t_ins[:common]
                    else:
                        out.insert(0, [EQUAL, t_ins[:common]])
                        pointer += 1
                    t_ins, t_del = t_ins[common:], t_del[common:]
                common = _common_suffix(t_ins, t_del)
                if common:
                    out[pointer][1] = t_ins[len(t_ins) - common :] + out[pointer][1]
                    t_ins, t_del = t_ins[: len(t_ins) - common], t_del[: len(t_del) - common]
            start = pointer - n_del - n_ins
            merged = []
            if n_del:
                merged.append([DELETE, t_del])
            if n_ins:
                merged.append([INSERT, t_ins])
            out[start:pointer] = merged
            pointer = start + len(merged) + 1
        elif pointer and out[pointer - 1][0] == EQUAL:
            out[pointer - 1][1] += out[pointer][1]
            del out[pointer]
        else:
            pointer += 1
        n_del = n_ins = 0
        t_del = t_ins = ""
    if not out[-1][1]:
        out.pop()
    changes = False
    pointer = 1
    while pointer < len(out) - 1:
        prev, cur, nxt = out[pointer - 1], out[pointer], out[pointer + 1]
        if prev[0] == EQUAL and nxt[0] == EQUAL:
            if cur[1].endswith(prev[1]):
                cur[1] = prev[1] + cur[1][: len(cur[1]) - len(prev[1])]
                nxt[1] = prev[1] + nxt[1]
                del out[pointer - 1]
                changes = True
            elif cur[1].startswith(nxt[1]):
                prev[1] += nxt[1]
                cur[1] = cur[1][len(nxt[1]) :] + nxt[1]
                del out[pointer + 1]
                changes = True
        pointer += 1
    result = [(op, text) for op, text in out]
    return cleanup_merge(result) if changes else result
