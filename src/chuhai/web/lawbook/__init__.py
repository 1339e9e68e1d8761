"""The law in the web app: its version and how long the working-day calendar lasts (the dashboard's
warning, ``GET /api/law``), provisional deadlines past the calendar, the site administrator's pages to
import a State Council holiday notice and to see what the local law directory changes, and what a law
change does to the stock (every open vehicle of every enterprise re-screened, the verdicts that change
listed and audited). Thin over :mod:`chuhai.lawbook`.
"""
