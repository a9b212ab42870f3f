"""The meeting's XLSX sheet: expert × dimension, each expert's mean, and the panel's mean,
median, min, max and standard deviation per dimension (the submitted reviews)."""
from __future__ import annotations

import io

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from app.core.models import localized
from app.registers.reviews.models import DIMENSIONS, OPINIONS
from app.registers.reviews.stats import panel_figures, panelist_mean


def meeting_xlsx(meeting, reviews) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Scores")[:31]
    labels = [str(label) for label in DIMENSIONS.values()]
    sheet.append([str(meeting)])
    sheet.append([gettext("Expert"), *labels, gettext("Mean"), gettext("Opinion")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    submitted = [r for r in reviews if r.submitted]
    for review in submitted:
        scores = review.scores()
        sheet.append([localized(review.expert, "name"), *scores.values(),
                      round(panelist_mean(scores), 2), str(OPINIONS.get(review.opinion, ""))])
    figures = panel_figures({r.expert_id: r.scores() for r in submitted}, DIMENSIONS)
    for name, attribute in ((gettext("Mean"), "mean"), (gettext("Median"), "median"),
                            (gettext("Minimum"), "low"), (gettext("Maximum"), "high"),
                            (gettext("Standard deviation"), "stdev")):
        values = [getattr(figures[key][0], attribute) for key in DIMENSIONS]
        sheet.append([name, *[None if v is None else round(v, 2) for v in values]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
