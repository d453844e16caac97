"""The roadmap as a result: topics, their skills, prerequisites and the learner's mastery."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calcml.learn.skills import SKILLS, TOPICS
from calcml.result import Result

BADGES = {
    "new": ("·", "dim"),
    "attempted": ("○", "yellow"),
    "familiar": ("◐", "cyan"),
    "proficient": ("●", "green"),
    "mastered": ("★", "bold green"),
}


@dataclass
class Roadmap(Result):
    """Every topic with its skills; `levels` maps skill id -> mastery ('new' when absent)."""

    levels: dict[str, str] = field(default_factory=dict)
    next_skill: str | None = None

    def level(self, skill_id: str) -> str:
        return self.levels.get(skill_id, "new")

    def text(self) -> str:
        out = ["calcml roadmap"]
        for t in TOPICS:
            out.append(f"{t.number}. {t.title}")
            for s in (s for s in SKILLS if s.topic == t.id):
                badge = BADGES[self.level(s.id)][0]
                after = f"  (after {', '.join(s.requires)})" if s.requires else ""
                out.append(f"   {badge} {s.title} [{s.id}] — {self.level(s.id)}{after}")
        if self.next_skill:
            out.append(f"Next up: {self.next_skill} — calcml practice {self.next_skill}")
        return "\n".join(out)

    def latex(self) -> str:
        return r"\text{calcml roadmap}"

    def markdown(self) -> str:
        out = ["# Roadmap", ""]
        for t in TOPICS:
            out.append(f"## {t.number}. {t.title}")
            out.append("")
            for s in (s for s in SKILLS if s.topic == t.id):
                after = f" — after {', '.join(s.requires)}" if s.requires else ""
                out.append(f"- {s.title} (`{s.id}`, {self.level(s.id)}){after}")
            out.append("")
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": [
                {
                    "id": t.id,
                    "number": t.number,
                    "title": t.title,
                    "skills": [
                        {
                            "id": s.id,
                            "title": s.title,
                            "requires": list(s.requires),
                            "mastery": self.level(s.id),
                        }
                        for s in SKILLS
                        if s.topic == t.id
                    ],
                }
                for t in TOPICS
            ],
            "next": self.next_skill,
        }

    def __rich__(self) -> Any:
        from rich.text import Text
        from rich.tree import Tree

        done = sum(self.level(s.id) in ("proficient", "mastered") for s in SKILLS)
        root = Tree(Text.assemble(("calcml roadmap", "bold"), f"  {done}/{len(SKILLS)} proficient"))
        for t in TOPICS:
            branch = root.add(Text(f"{t.number}. {t.title}", style="bold cyan"))
            for s in (s for s in SKILLS if s.topic == t.id):
                badge, style = BADGES[self.level(s.id)]
                label = Text.assemble(
                    (f"{badge} ", style),
                    s.title,
                    (f"  {s.id}", "dim"),
                    (f"  {self.level(s.id)}", style),
                )
                if s.requires:
                    label.append(f"  ← {', '.join(s.requires)}", style="dim italic")
                branch.add(label)
        legend = "  ".join(f"{b} {name}" for name, (b, _) in BADGES.items())
        root.add(Text(legend, style="dim"))
        if self.next_skill:
            from rich.console import Group

            tip = Text.assemble(
                "Next up: ", (self.next_skill, "bold"), f" — calcml practice {self.next_skill}"
            )
            return Group(root, tip)
        return root
