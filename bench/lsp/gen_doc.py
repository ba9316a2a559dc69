#!/usr/bin/env python3
"""Write a document as an agent writes it from a Markdown template: every
[[LLM: ]] instruction, @{example} block and <critical_rule> dropped, each
<<REPEAT>> block written twice (Staging, Production), each ^^CONDITION^^ block
kept without its markers, every {{placeholder}} filled with text, and the
Notes sections padded with prose so that the document reaches the target
size.  A marker comment on its second line names the template
(`<!-- tmpl-ls: template=NAME -->`, README "Which template a document comes
from", rule 1), so tmpl-ls checks it against the template.  A document being
written is not finished: in every 100th section the Status placeholder is left
unfilled (an `unfilled-placeholder` warning each), so the diagnostics are not
empty.  Deterministic: the same bytes for the same template.

usage: gen_doc.py TEMPLATE.md OUT.md [BYTES]   (default 1 MiB)
"""
import os, re, sys

TMPL, OUT = sys.argv[1], sys.argv[2]
TARGET = int(sys.argv[3]) if len(sys.argv) > 3 else 1 << 20
UNFINISHED_EVERY = 100

with open(TMPL, encoding="utf-8") as f:
    t = f.read()

t = re.sub(r"\[\[LLM:.*?\]\]\n\n?", "", t, flags=re.S)
t = re.sub(r"@\{example: \w+\}\n.*?@\{/example\}\n\n?", "", t, flags=re.S)
t = re.sub(r"<critical_rule>.*?</critical_rule>\n\n?", "", t, flags=re.S)
t = re.sub(r"\^\^/?CONDITION: \w+\^\^\n\n?", "", t)


def repeat(m):
    body = m.group(1)
    return "".join(body.replace("{{environment_name}}", env) for env in ("Staging", "Production"))


t = re.sub(r"<<REPEAT: \w+>>\n\n(.*?)<</REPEAT>>\n\n?", repeat, t, flags=re.S)

WORDS = ["the platform team", "an approved vendor module", "the release board", "a weekly review",
         "the on-call rotation", "the shared VPC", "a managed service", "the cost report"]
count = {"n": 0, "sec": 0}


def fill(m):
    name = m.group(1)
    count["n"] += 1
    if name == "project_name":
        return "Orion"
    if name.endswith("_status") and count["sec"] % UNFINISHED_EVERY == UNFINISHED_EVERY - 1:
        return m.group(0)  # left unfilled: the document is still being written
    if name.endswith("_notes"):
        return "NOTES"  # padded below
    return "%s, owned by %s" % (name.replace("_", " ").capitalize(), WORDS[count["n"] % len(WORDS)])


out = []
for line in t.split("\n"):
    if line.startswith("## "):
        count["sec"] += 1
    out.append(re.sub(r"\{\{(\w+)\}\}", fill, line))
lines = out
lines.insert(1, "<!-- tmpl-ls: template=%s -->" % os.path.basename(TMPL))
text = "\n".join(lines)

NOTE = ("Reviewed with the platform team; the decision stands until the next quarterly review, "
        "and any change goes through a decision record first. ")
n_notes = text.count("\nNOTES\n")
pad = max(0, TARGET - (len(text.encode()) - n_notes * len("NOTES")))
per = pad // max(1, n_notes)
reps, rest = divmod(per, len(NOTE))
note = (NOTE * reps + NOTE[:rest].rsplit(" ", 1)[0]).rstrip() or "None."
text = text.replace("\nNOTES\n", "\n" + note + "\n")

os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
with open(OUT, "w") as f:
    f.write(text)
print(OUT, len(text.encode()), "bytes")
