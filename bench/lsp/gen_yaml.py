#!/usr/bin/env python3
"""Write the benchmark's YAML template: the generated infrastructure template of
/work/shared/bench/gen_docs.py (same sections, instructions, bullets,
placeholders, REPEAT / CONDITION / example blocks, mermaid diagrams, critical
rules) in the BMAD YAML template format (`*-tmpl.yaml`,
/work/shared/docs/yaml-templates.md), repeated with numbered titles and ids
until the file reaches the target size.  Deterministic: the same bytes every run.

usage: gen_yaml.py OUT.yaml [BYTES] [SHARED_BENCH_DIR]   (default 1 MiB, /work/shared/bench)
"""
import os, sys

OUT = sys.argv[1]
TARGET = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
sys.path.insert(0, sys.argv[3] if len(sys.argv) > 3 else "/work/shared/bench")
from gen_docs import SECTIONS, FILLER, slug  # noqa: E402  (the shared generator's text)


def block(lines, indent):
    pad = " " * indent
    return [(pad + l) if l else "" for l in lines]


def section(name, key, llm, bullets, example, repeat, cond, k):
    title = "%s %d" % (name, k)
    out = ["  - id: %s-%d" % (key, k), "    title: %s" % title, "    instruction: |"]
    out += block([llm], 6)
    if key in ("overview", "network", "security", "feasibility"):
        out += ["    elicit: true"]
    tmpl = ["- " + b for b in bullets] + ["", FILLER.format(t=name.lower()), "",
            "- **Owner:** {{%s_owner}}" % key, "- **Status:** {{%s_status}}" % key,
            "- **Decision:** {{%s_decision}}" % key, "",
            "See also: [%s](#%s) and the [rollback notes](#rollback-procedures_%d)." % (title, slug(title), k)]
    if key in ("security", "dr", "iac"):
        tmpl += ["", "<critical_rule>Every %s decision must be reviewed and recorded before production use.</critical_rule>"
                 % name.lower()]
    out += ["    template: |"] + block(tmpl, 6)
    if example == "cloud_strategy":
        out += ["    examples:", "      - |"] + block([
            "- **Cloud Provider:** a single primary vendor, with a second one for critical workloads",
            "- **Core Services:** managed Kubernetes, managed Postgres, object storage, a CDN",
            "- **Regional Architecture:** active-passive across two regions",
            "- **Environments:** dev, staging, UAT and production built from the same modules"], 8)
    elif example == "responsibility_matrix":
        out += ["    examples:", "      - |"] + block([
            "| Layer | Vendor | Platform | App team | Security |",
            "|-------|--------|----------|----------|----------|",
            "| Physical | yes | - | - | audit |",
            "| Network | partial | yes | config | audit |",
            "| Application | - | tooling | yes | review |",
            "| Encryption | engine | config | usage | standards |"], 8)
    out += ["    sections:"]
    if repeat:
        out += ["      - id: %s-%d" % (repeat, k), '        title: "{{%s_name}} Environment %d"' % (repeat, k),
                "        repeatable: true", "        template: |"]
        out += block(["- **Purpose:** {{%s_purpose}}" % repeat, "- **Resources:** {{%s_resources}}" % repeat,
                      "- **Access Control:** {{%s_access}}" % repeat,
                      "- **Data Classification:** {{%s_data_class}}" % repeat], 10)
    if cond:
        cname = cond.replace("uses_", "").replace("_", " ").title()
        out += ["      - id: %s-%d" % (cond.replace("_", "-"), k), "        title: %s Details %d" % (cname, k),
                "        condition: %s_%d" % (cond, k),
                "        instruction: Only fill this block when %s is part of the design; otherwise drop it." % cname.lower(),
                "        template: |"]
        out += block(["- **Technology:** {{%s_tech}}" % cond, "- **Policies:** {{%s_policies}}" % cond,
                      "- **Security:** {{%s_security}}" % cond, "- **Observability:** {{%s_observability}}" % cond], 10)
    if key in ("network", "cicd", "data"):
        out += ["      - id: %s-diagram-%d" % (key, k), "        type: mermaid", "        mermaid_type: graph",
                "        template: |"]
        out += block(["graph TB", '    subgraph "Production"', "        LB[Load Balancer] --> APP[App Cluster]",
                      "        APP --> DB[(Database)]", "    end", "    User((User)) --> LB"], 10)
    out += ["      - id: %s-notes-%d" % (key, k), "        title: Notes %d" % k,
            '        template: "{{%s_notes}}"' % key, ""]
    return out


def build(target):
    lines = ["template:", "  id: infrastructure-architecture-bench", "  name: Infrastructure Architecture",
             "  version: 2.0", "  output:", "    format: markdown", "    filename: docs/infrastructure-architecture.md",
             '    title: "{{project_name}} Infrastructure Architecture"', "",
             "workflow:", "  mode: interactive", "  elicitation: advanced-elicitation", "",
             "sections:", "  - id: initial-setup", "    instruction: |"]
    lines += block(["Initial setup", "", "1. Replace {{project_name}} everywhere in this document.",
                    "2. Collect the inputs: the PRD, the main architecture document, the tech stack notes.",
                    "   - Ask for any missing input before starting.",
                    "3. <critical_rule>Keep infrastructure decisions consistent with the system architecture.</critical_rule>",
                    "", "Output file: `docs/infrastructure-architecture.md`"], 6)
    lines += [""]
    size = sum(len(l) + 1 for l in lines)
    k = 0
    while size < target:
        sec = section(*SECTIONS[k % len(SECTIONS)], k=k)
        size += sum(len(l) + 1 for l in sec)
        lines += sec
        k += 1
    lines += ["  - id: change-log", "    title: Change Log", "    type: table",
              "    columns: [Date, Version, Description, Author]",
              "    instruction: Track document versions and changes", ""]
    return "\n".join(lines)


text = build(TARGET)
os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
with open(OUT, "w") as f:
    f.write(text)
print(OUT, len(text.encode()), "bytes")
