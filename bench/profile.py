"""Where a server's CPU went: a summary of a py-spy `raw` profile (one stack and count a line).

Prints the share of samples each frame was on the stack (inclusive), for the frames that hold
the most, and the share each was the innermost frame (self):

    .venv/bin/python -m bench.profile /tmp/dangan.txt [how many]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def summary(lines: list[str], top: int) -> str:
    """The `top` frames by inclusive and by self samples, as shares of all samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        samples = int(count)
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    out = [f"{total} samples"]
    for title, counter in (("inclusive", inclusive), ("self", own)):
        out.append(f"\n{title}:")
        out += [f"{n / total:6.1%}  {frame}" for frame, n in counter.most_common(top)]
    return "\n".join(out)


if __name__ == "__main__":
    how_many = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    print(summary(Path(sys.argv[1]).read_text().splitlines(), how_many))
