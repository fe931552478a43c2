"""Owner reports over a date range (issue #23): one function computes them for the CLI and the console."""
from core.reports.build import HANDOFF_CATEGORIES, Report, ReportFilter, build_report
from core.reports.export import to_csv, to_png

__all__ = ["HANDOFF_CATEGORIES", "Report", "ReportFilter", "build_report", "to_csv", "to_png"]
