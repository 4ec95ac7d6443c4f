"""Writes a run's tables into docs/benchmarks.md and its plots into docs/img:
python3 publish.py OUT_DIR docs/benchmarks.md docs/img [--only scaling]

Generated parts, each between its markers (added at the end when missing): the summary
(summary.py's table), the JMH figures (results.md), the servers (echo.md and http.md) and the
scaling comparison (scaling.md, written by `benchmarks/run.sh --scaling`): with --only scaling,
that one alone (and its plot), and only then."""
import os
import shutil
import sys


def marked(name, what, writer="./bench"):
    return f"<!-- {name}:begin ({writer} writes this part: {what}) -->", f"<!-- {name}:end -->"


def read(path, drop_title=False):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    if drop_title and text.startswith("# "):
        text = text.split("\n", 1)[1].strip() if "\n" in text else ""
    return text


def replace_block(text, name, what, body, heading, writer="./bench"):
    begin, end = marked(name, what, writer)
    block = begin + "\n\n" + body + "\n\n" + end
    old_begin = next((line for line in text.splitlines() if line.startswith(f"<!-- {name}:begin")), None)
    if old_begin and end in text:
        return text[:text.index(old_begin)] + block + text[text.index(end) + len(end):]
    return text.rstrip("\n") + f"\n\n{heading}\n\n" + block + "\n"


def main():
    out, doc, img = sys.argv[1:4]
    only_scaling = sys.argv[4:6] == ["--only", "scaling"]
    with open(doc) as f:
        text = f.read()
    if only_scaling:  # its own run (benchmarks/run.sh --scaling): ./bench's full run leaves it alone
        scaling = read(os.path.join(out, "scaling.md"))
        if scaling:
            text = replace_block(text, "scaling", "scaling.md", scaling,
                                 "## One hub per core: scaling from 1 to 2 hubs", writer="benchmarks/run.sh --scaling --publish")
            os.makedirs(img, exist_ok=True)
            if os.path.exists(os.path.join(out, "scaling.png")):
                shutil.copy(os.path.join(out, "scaling.png"), os.path.join(img, "scaling.png"))
        with open(doc, "w") as f:
            f.write(text)
        print(f"publish: wrote the scaling table into {doc} and its plot into {img}", file=sys.stderr)
        return
    summary = read(os.path.join(out, "summary.md"))
    if summary:
        text = replace_block(text, "summary", "summary.py", summary, "## At a glance")
    jmh = read(os.path.join(out, "results.md"), drop_title=True)
    if jmh:
        text = replace_block(text, "greenlets", "JMH and memory probes", jmh.replace("\n## ", "\n#### "),
                             "### Latest full run")
    servers = [p for p in (read(os.path.join(out, "echo.md")), read(os.path.join(out, "http.md"))) if p]
    if servers:
        text = replace_block(text, "servers", "echo and HTTP", "\n\n".join(servers), "## Servers: TCP echo and HTTP")
    os.makedirs(img, exist_ok=True)
    for name in sorted(os.listdir(out)):
        if name.startswith(("echo-", "http-")) and name.endswith(".png"):
            shutil.copy(os.path.join(out, name), os.path.join(img, name))
    with open(doc, "w") as f:
        f.write(text)
    print(f"publish: wrote the tables into {doc} and the plots into {img}", file=sys.stderr)


if __name__ == "__main__":
    main()
