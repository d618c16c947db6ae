"""Write realistic, messy lead files of N rows as CSV and XLSX (for `make bench-import`)."""

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

FIRST = "Aarav Aditi Akash Ananya Anjali Arun Deepa Divya Farhan Gaurav Harini Ishaan".split()
LAST = "Nair Menon Pillai Kumar Sharma Iyer Reddy Das Joseph Thomas Khan Varghese".split()
AREAS = "Kochi Thrissur Kozhikode Trivandrum Kollam Palakkad Kannur Kottayam Chennai".split()
HEADER = ["Student Name", "Mobile No", "City", "Enquiry Date", "Remarks", "Course Interested"]


def phone_forms(rng, national):
    return rng.choice(
        [
            f"+91 {national[:5]} {national[5:]}",
            f"0{national[:5]}-{national[5:]}",
            national,
            f"91 {national}",
        ]
    )


def rows(n, seed=7, remark_suffix=""):
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    for i in range(n):
        national = f"9{(i * 7919 + 1000003) % 10**9:09d}"  # unique per i, valid 9xxxxxxxxx
        when = start + timedelta(days=rng.randrange(300))
        yield (
            [
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                national,
                rng.choice(AREAS),
                when,
                rng.choice(["", "Parent called", "Wants hostel details", "Walk-in"])
                + remark_suffix,
                rng.choice(["B.Tech", "MBA", "B.Sc Nursing", ""]),
            ],
            rng,
        )


def write_csv(path, n, remark_suffix=""):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for cells, rng in rows(n, remark_suffix=remark_suffix):
            cells[1] = phone_forms(rng, cells[1])
            cells[3] = cells[3].strftime("%d/%m/%Y")
            writer.writerow(cells)


def write_xlsx(path, n, remark_suffix=""):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    sheet.append(HEADER)
    for cells, _ in rows(n, remark_suffix=remark_suffix):
        cells[1] = int(cells[1])  # a number cell, as Excel stores typed phone numbers
        sheet.append(cells)
    workbook.save(path)


if __name__ == "__main__":
    n, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / f"leads-{n}.csv", n)
    write_xlsx(folder / f"leads-{n}.xlsx", n)
    write_csv(folder / f"leads-{n}-changed.csv", n, remark_suffix=" (updated)")
    write_xlsx(folder / f"leads-{n}-changed.xlsx", n, remark_suffix=" (updated)")
