"""Writes a run's server tables into docs/benchmarks.md (between the echo markers) and its plots
into docs/img: python3 publish.py OUT_DIR docs/benchmarks.md docs/img"""
import os
import shutil
import sys

BEGIN, END = "<!-- servers:begin (benchmarks/run.sh --all writes this part) -->", "<!-- servers:end -->"


def main():
    out, doc, img = sys.argv[1:4]
    parts = []
    with open(os.path.join(out, "echo.md")) as f:
        parts.append(f.read().strip())
    http = os.path.join(out, "http.md")
    if os.path.exists(http):
        with open(http) as f:
            parts.append(f.read().strip())
    os.makedirs(img, exist_ok=True)
    for name in sorted(os.listdir(out)):
        if name.startswith(("echo-", "http-")) and name.endswith(".png"):
            shutil.copy(os.path.join(out, name), os.path.join(img, name))
    with open(doc) as f:
        text = f.read()
    block = BEGIN + "\n\n" + "\n\n".join(parts) + "\n\n" + END
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Servers: TCP echo and HTTP\n\n" + block + "\n"
    with open(doc, "w") as f:
        f.write(text)
    print(f"publish: wrote the server tables into {doc} and the plots into {img}", file=sys.stderr)


if __name__ == "__main__":
    main()
