"""Report reads (PRODUCT.md §8), scoped to the caller's business: staff only. Other apps and
the command line import from this package."""

from refairn.reporting.selectors.analytics import (
    AssessmentAnalyticsReport,
    assessment_analytics_get_for,
)
from refairn.reporting.selectors.reports import (
    dashboard_build,
    dashboard_get_for,
    quarterly_report_build,
    quarterly_report_get_for,
    report_as_of,
    report_quarter,
)

__all__ = [
    "AssessmentAnalyticsReport",
    "assessment_analytics_get_for",
    "dashboard_build",
    "dashboard_get_for",
    "quarterly_report_build",
    "quarterly_report_get_for",
    "report_as_of",
    "report_quarter",
]
