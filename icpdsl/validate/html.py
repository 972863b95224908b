"""The validation as one self-contained HTML page: inline CSS and SVG, no scripts, no CDN."""

from __future__ import annotations

from html import escape

from .. import __version__
from .metrics import Group, ProfileStats, RuleStats, Validation
from .report import comparison, interval, judgement_text, lift_text, number, percent
from .stats import CONFIDENCE
from .svg import Bar, columns, hbars

_GROUP_CSS = {
    "fit": "bar fit",
    "unknown": "bar unknown",
    "not_fit": "bar not-fit",
    "disqualified": "bar disqualified",
}
_JUDGEMENT_CSS = {
    "carries": "bar good",
    "adds nothing": "bar neutral",
    "works against": "bar bad",
    "too few accounts": "bar few",
}

STYLE = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa;
  --fit: #2f855a; --tier: #3b6fb6; --unknown: #d69e2e; --notfit: #9aa5b1; --dq: #c53030; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: #102a43; color: #f0f4f8; padding: 22px 36px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 2px 0; color: #bcccdc; }
main { max-width: 1040px; margin: 0 auto; padding: 20px 36px 40px; }
section.profile { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 18px 24px 22px; margin: 18px 0; }
h2 { margin: 0 0 12px; font-size: 19px; }
h3 { margin: 22px 0 6px; font-size: 15px; color: #243b53; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 4px; }
.card { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px;
  background: #fbfcfd; }
.card .figure { font-size: 22px; font-weight: 600; }
.card .caption { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
th { color: var(--muted); font-weight: 600; background: #f8fafc; }
td.judgement, th:last-child { text-align: left; }
.tag { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; }
.tag.carries, .tag.agree { background: #e3f9e5; color: #207227; }
.tag.works-against, .tag.disagree { background: #ffe3e3; color: #a61b1b; }
.tag.adds-nothing, .tag.unclear, .tag.too-few-accounts { background: #eef1f4; color: #52606d; }
code { font: 12.5px ui-monospace, Menlo, Consolas, monospace; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 10px 0; }
svg .chart-title { font-weight: 600; font-size: 14px; fill: #243b53; }
svg .label { font-size: 12.5px; fill: var(--ink); }
svg .value { font-size: 12px; fill: var(--ink); }
svg .note { font-size: 11.5px; fill: var(--muted); }
svg .bar.fit { fill: var(--fit); } svg .bar.tier { fill: var(--tier); }
svg .bar.unknown { fill: var(--unknown); } svg .bar.not-fit { fill: var(--notfit); }
svg .bar.disqualified { fill: var(--dq); }
svg .bar.good { fill: var(--fit); } svg .bar.neutral { fill: var(--notfit); }
svg .bar.bad { fill: var(--dq); }
svg .bar.few { fill: var(--notfit); fill-opacity: 0.35; }
svg .series-good { fill: var(--fit); } svg .series-bad { fill: var(--notfit); }
svg .whisker { stroke: #102a43; stroke-width: 1.4; fill: none; }
svg .reference { stroke: #d64545; stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .axis { stroke: #7b8794; stroke-width: 1; } svg .grid { stroke: #e4e7eb; }
.explain { color: var(--muted); font-size: 12.5px; margin: 2px 0 8px; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
.warning { color: #8a4b00; background: #fff4e0; padding: 6px 10px; border-radius: 4px; }
"""


def render_html(validation: Validation, *, title: str = "ICP validation") -> str:
    """The whole report: a headline, then per profile the cards, charts and tables."""
    history = validation.history
    head = (
        f"{len(history.accounts):,} past accounts from <code>{escape(history.source)}</code>"
        f" · outcome <code>{escape(history.outcome)}</code>: {history.good:,} good · base rate "
        f"<strong>{percent(validation.base_rate)}</strong> {interval(validation.base_interval)}"
    )
    classes = ""
    if validation.classes is not None:
        c1, c2, c3 = validation.classes.counts
        floor1, floor2 = validation.classes.floors
        classes = (
            f"<p>Value <code>{escape(history.value_column or '')}</code>: Class 1 (top 10%) "
            f"{c1:,} accounts ≥ {number(floor1)} · Class 2 (next 10%) {c2:,} ≥ "
            f"{number(floor2)} · Class 3 {c3:,}</p>"
        )
    classes += "".join(
        f'<p class="warning">Warning: {escape(warning)}</p>' for warning in validation.warnings
    )
    body = "".join(_profile_section(validation, p, i) for i, p in enumerate(validation.profiles))
    if len(validation.profiles) > 1:
        header, rows = comparison(validation)
        rows = [[escape(cell) for cell in row] for row in rows]
        body = (
            '<section class="profile" id="profiles"><h2>Profiles compared</h2>'
            '<p class="explain">What each profile\'s fit accounts hold: their outcome rate, lift '
            "over the base rate, the share of all good outcomes (recall) and of the most "
            "valuable accounts they capture.</p>"
            f"{_table('profiles', [h.capitalize() for h in header], rows)}</section>{body}"
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{head}</p>{classes}"
        f"<p>Evaluated as of {validation.as_of.isoformat()} · intervals are "
        f"{CONFIDENCE:.0%} Wilson score intervals · lift = outcome rate ÷ base rate</p>"
        f"</header><main>{body}<footer>{escape(validation.method)}. "
        f"Generated by icpdsl {escape(__version__)} (<code>icp validate --html</code>); "
        "see docs/validate.md for how to read each figure.</footer></main></body></html>\n"
    )


def _profile_section(validation: Validation, profile: ProfileStats, index: int) -> str:
    fit = profile.group("fit")
    cards = [
        (f"{fit.accounts:,}", f"fit accounts ({percent(fit.share)} of all)"),
        (percent(fit.rate), f"outcome rate of fit {interval(fit.rate_interval)}"),
        (lift_text(fit.lift), f"lift of fit {interval(fit.lift_interval, as_percent=False)}"),
        (percent(fit.recall, 0), "of good outcomes are fit (recall)"),
    ]
    if fit.class1_capture is not None:
        cards.append((percent(fit.class1_capture, 0), "of Class 1 accounts are fit"))
    parts = [
        f'<section class="profile" id="profile-{index}"><h2>Profile “{escape(profile.name)}”</h2>',
        '<div class="cards">',
        *(
            f'<div class="card"><div class="figure">{escape(f)}</div>'
            f'<div class="caption">{escape(c)}</div></div>'
            for f, c in cards
        ),
        "</div>",
        "<h3>Outcome rate by verdict and tier</h3>",
        '<p class="explain">Each bar is a group\'s outcome rate with its 95% interval; the '
        "dashed line is the base rate. A good ICP puts fit (and its top tier) well right of "
        "the line and not fit left of it.</p>",
        _rate_chart(validation, profile),
        _group_table(profile.groups, validation.classes is not None),
        "<h3>Lift by rule</h3>",
        '<p class="explain">Outcome rate where the rule\'s condition holds ÷ where it does '
        "not, on a log scale centred on 1×. Green: the rule carries the ICP (its interval "
        "clears 1× in the expected direction); grey: no clear effect; red: it works against "
        "the outcome.</p>",
        _lift_chart(profile),
        _rule_table(profile.rules),
    ]
    if profile.points_correlation is not None:
        parts.append(
            f'<p class="explain">Points vs observed lift: Spearman rank correlation '
            f"<strong>{profile.points_correlation:+.2f}</strong> across the points rules "
            "(+1: the points rank the rules as the outcomes do).</p>"
        )
    if profile.score_bins:
        parts += [
            "<h3>Score distribution: good vs other outcomes</h3>",
            '<p class="explain">Of all good (and of all other) outcomes, the share at each '
            "score. The further the green columns sit to the right of the grey ones, the "
            "better the score separates them.</p>",
            _score_chart(profile),
        ]
    parts.append("</section>")
    return "".join(parts)


def _rate_chart(validation: Validation, profile: ProfileStats) -> str:
    groups = [g for g in profile.groups if g.kind != "all"]
    bars = [
        Bar(
            label=g.name if g.kind == "tier" else g.name.replace("_", " "),
            value=g.rate if g.accounts else None,
            low=g.rate_interval[0] if g.accounts else None,
            high=g.rate_interval[1] if g.accounts else None,
            css=_GROUP_CSS.get(g.name, "bar tier"),
            caption=f"{percent(g.rate)} of {g.accounts:,}",
        )
        for g in groups
    ]
    highest = max([b.high or 0 for b in bars] + [validation.base_rate])
    return hbars(
        "rate-by-group",
        "Outcome rate by verdict and tier",
        bars,
        maximum=highest,
        reference=validation.base_rate,
        reference_label=f"base rate {percent(validation.base_rate)}",
        label_width=140,
    )


def _lift_chart(profile: ProfileStats) -> str:
    bars = [
        Bar(
            label=r.rule,
            value=r.lift,
            low=r.lift_interval[0] if r.lift_interval and r.lift else None,
            high=r.lift_interval[1] if r.lift_interval and r.lift else None,
            css=_JUDGEMENT_CSS[r.judgement],
            caption=f"{lift_text(r.lift)} {judgement_text(r)}",
        )
        for r in profile.rules
    ]
    highest = max([max(b.value or 1, 1 / (b.value or 1)) for b in bars if b.value] + [2.0])
    return hbars(
        "lift-by-rule",
        "Lift by rule (log scale)",
        bars,
        maximum=min(16.0, highest * 1.25),
        reference=1.0,
        reference_label="1× (no effect)",
        log=True,
    )


def _score_chart(profile: ProfileStats) -> str:
    good = sum(b.good for b in profile.score_bins) or 1
    bad = sum(b.bad for b in profile.score_bins) or 1
    return columns(
        "score-distribution",
        "Score distribution of good vs other outcomes",
        [b.label for b in profile.score_bins],
        [
            ("good outcome", "series-good", [b.good / good for b in profile.score_bins]),
            ("other outcome", "series-bad", [b.bad / bad for b in profile.score_bins]),
        ],
        axis_label="score",
    )


def _group_table(groups: tuple[Group, ...], with_value: bool) -> str:
    header = ["Group", "Accounts", "Share", "Outcome rate (precision)", "Lift", "Recall"]
    if with_value:
        header += ["Value / account", "Class 1", "Class 2"]
    rows = []
    for g in groups:
        cells = [
            escape(g.name),
            f"{g.accounts:,}",
            percent(g.share),
            f"{percent(g.rate)} {interval(g.rate_interval) if g.accounts else ''}",
            f"{lift_text(g.lift)} {interval(g.lift_interval, as_percent=False)}",
            percent(g.recall, 0),
        ]
        if with_value:
            cells += [
                number(g.value_per_account),
                percent(g.class1_capture, 0),
                percent(g.class2_capture, 0),
            ]
        rows.append(cells)
    return _table("groups", header, rows)


def _rule_table(rules: tuple[RuleStats, ...]) -> str:
    header = ["Rule", "Holds", "Rate", "Does not", "Rate", "Unknown", "Lift", "Judgement"]
    rows = []
    for r in rules:
        verdict = r.points_check if r.points_check is not None else r.judgement
        word = judgement_text(r)
        tag = f'<span class="tag {verdict.replace(" ", "-")}">{escape(word)}</span>'
        if r.only_blocker is not None and r.only_blocker.accounts:
            tag += (
                f" <small>sole blocker of {r.only_blocker.accounts:,} at "
                f"{percent(r.only_blocker.rate)}</small>"
            )
        rows.append(
            [
                f"<code>{escape(r.rule)}</code>",
                f"{r.holds.accounts:,}",
                percent(r.holds.rate),
                f"{r.not_holds.accounts:,}",
                percent(r.not_holds.rate),
                f"{r.unknown.accounts:,}",
                f"{lift_text(r.lift)} {interval(r.lift_interval, as_percent=False)}",
                tag,
            ]
        )
    return _table("rules", header, rows, last_left=True)


def _table(name: str, header: list[str], rows: list[list[str]], last_left: bool = False) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for cells in rows:
        tds = [
            f'<td class="judgement">{c}</td>'
            if last_left and i == len(cells) - 1
            else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        ]
        body.append("<tr>" + "".join(tds) + "</tr>")
    rows_html = "".join(body)
    return (
        f'<table data-table="{name}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows_html}</tbody></table>"
    )
