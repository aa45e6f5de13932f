"""Lists the questionnaire chooses from: the antidepressant catalogue and US regions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Medication:
    """An antidepressant in the catalogue; the OCD target dose is the APA 2007 lower bound."""

    key: str
    label: str
    drug_class: str
    ocd_target_mg: float | None = None

    @property
    def is_sri(self) -> bool:
        return self.drug_class in ("ssri", "tca_sri")


MEDICATIONS: dict[str, Medication] = {
    m.key: m
    for m in (
        Medication("fluoxetine", "Fluoxetine (Prozac)", "ssri", 40),
        Medication("sertraline", "Sertraline (Zoloft)", "ssri", 200),
        Medication("paroxetine", "Paroxetine (Paxil)", "ssri", 40),
        Medication("fluvoxamine", "Fluvoxamine (Luvox)", "ssri", 200),
        Medication("citalopram", "Citalopram (Celexa)", "ssri", 40),
        Medication("escitalopram", "Escitalopram (Lexapro)", "ssri", 20),
        Medication("clomipramine", "Clomipramine (Anafranil)", "tca_sri", 100),
        Medication("venlafaxine", "Venlafaxine (Effexor)", "snri"),
        Medication("duloxetine", "Duloxetine (Cymbalta)", "snri"),
        Medication("desvenlafaxine", "Desvenlafaxine (Pristiq)", "snri"),
        Medication("bupropion", "Bupropion (Wellbutrin)", "other_antidepressant"),
        Medication("mirtazapine", "Mirtazapine (Remeron)", "other_antidepressant"),
        Medication("vortioxetine", "Vortioxetine (Trintellix)", "other_antidepressant"),
        Medication("vilazodone", "Vilazodone (Viibryd)", "other_antidepressant"),
        Medication("trazodone", "Trazodone (Desyrel)", "other_antidepressant"),
        Medication("nortriptyline", "Nortriptyline (Pamelor)", "tca"),
        Medication("amitriptyline", "Amitriptyline (Elavil)", "tca"),
        Medication("phenelzine", "Phenelzine (Nardil)", "maoi"),
        Medication("tranylcypromine", "Tranylcypromine (Parnate)", "maoi"),
        Medication("other_antidepressant", "Another antidepressant", "other_antidepressant"),
    )
}

US_REGIONS: tuple[tuple[str, str], ...] = (
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UM", "U.S. Minor Outlying Islands"),
    ("VI", "U.S. Virgin Islands"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
)
