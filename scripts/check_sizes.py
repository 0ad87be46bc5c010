#!/usr/bin/env python3
"""House rules on size: no Swift file over 250 lines, no function or initialiser body over 60.

Usage: python3 scripts/check_sizes.py [DIR...]   (default: Sources Tests). Exit 1 listing offenders.
"""
import pathlib
import re
import sys

MAX_FILE_LINES, MAX_FUNCTION_LINES = 250, 60
DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|override|mutating|final|@discardableResult)\s+)*(?:func\s+\w+|init\??|deinit)\b")


def function_lengths(lines):
    """(name line, length) of each func/init whose body opens on its declaration's lines."""
    for start, line in enumerate(lines):
        if not DECLARATION.match(line):
            continue
        depth, opened = 0, False
        for end in range(start, len(lines)):
            text = re.sub(r'"(?:\\.|[^"\\])*"', '""', lines[end].split("//")[0])
            depth += text.count("{") - text.count("}")
            opened = opened or "{" in text
            if opened and depth <= 0:
                yield start + 1, end - start + 1
                break
            if not opened and end - start > 8:  # a protocol requirement: no body
                break


def main(roots):
    problems = []
    for root in roots:
        for path in sorted(pathlib.Path(root).rglob("*.swift")):
            lines = path.read_text(encoding="utf-8").splitlines()
            if len(lines) > MAX_FILE_LINES:
                problems.append(f"{path}: {len(lines)} lines (at most {MAX_FILE_LINES})")
            for line, length in function_lengths(lines):
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{path}:{line}: function of {length} lines (at most {MAX_FUNCTION_LINES})")
    print("\n".join(problems) if problems else "sizes: every file and function within the limits")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["Sources", "Tests"]))
