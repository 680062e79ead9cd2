"""Fuzz-suite summary: per-format figures and the distinct user-visible error messages."""

from __future__ import annotations

from fuzz_harness import CRASH_DIR, EXAMPLES, STATS

MESSAGES_FILE = CRASH_DIR / "error_messages.txt"


def _table() -> list[str]:
    head = f"{'format':<26}{'cases':>7}{'ok':>7}{'errors':>8}{'crashes':>9}{'hangs':>7}" \
           f"{'wrong':>7}{'slowest s':>11}"
    lines = [head, "-" * len(head)]
    for fmt in sorted(STATS):
        f = STATS[fmt]
        lines.append(f"{fmt:<26}{f.cases:>7}{f.ok:>7}{f.errors:>8}{f.crashes:>9}{f.hangs:>7}"
                     f"{f.wrong:>7}{f.slowest:>11.2f}")
    total = [sum(getattr(f, k) for f in STATS.values())
             for k in ("cases", "ok", "errors", "crashes", "hangs", "wrong")]
    slowest = max((f.slowest for f in STATS.values()), default=0.0)
    lines.append(f"{'all':<26}" + "".join(f"{v:>{w}}" for v, w in zip(total, (7, 7, 8, 9, 7, 7)))
                 + f"{slowest:>11.2f}")
    return lines


def _write_messages() -> int:
    """Write each distinct message template (with one real example) to MESSAGES_FILE."""
    seen: dict[str, str] = {}
    for fmt in sorted(STATS):
        for tmpl, example in STATS[fmt].messages.items():
            seen.setdefault(tmpl, f"{fmt}: {example}")
    CRASH_DIR.mkdir(parents=True, exist_ok=True)
    with open(MESSAGES_FILE, "w", encoding="utf-8") as out:
        for tmpl in sorted(seen):
            out.write(f"{tmpl}\n    e.g. {seen[tmpl]}\n")
    return len(seen)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the per-format table after a session that ran fuzz cases."""
    if not STATS:
        return
    write = terminalreporter.write_line
    terminalreporter.section(f"collider_viz fuzz summary (FUZZ_EXAMPLES={EXAMPLES})")
    for line in _table():
        write(line)
    n = _write_messages()
    write(f"{n} distinct user-visible error messages written to {MESSAGES_FILE}")
    write(f"failing inputs (if any) are saved in {CRASH_DIR}")
