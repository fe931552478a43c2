"""Owner reports over a date range (issue #23): one function computes them for the CLI and the console."""
from core.reports.build import HANDOFF_CATEGORIES, Report, ReportFilter, build_report

__all__ = ["HANDOFF_CATEGORIES", "Report", "ReportFilter", "build_report"]
