"""Lists the questionnaire chooses from: the antidepressant catalogue and US regions."""

from __future__ import annotations

from dataclasses import dataclass

from .words import N_


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
        Medication("other_antidepressant", N_("Another antidepressant"), "other_antidepressant"),
    )
}

US_REGIONS: tuple[tuple[str, str], ...] = (
    ("AL", N_("Alabama")),
    ("AK", N_("Alaska")),
    ("AS", N_("American Samoa")),
    ("AZ", N_("Arizona")),
    ("AR", N_("Arkansas")),
    ("CA", N_("California")),
    ("CO", N_("Colorado")),
    ("CT", N_("Connecticut")),
    ("DE", N_("Delaware")),
    ("DC", N_("District of Columbia")),
    ("FL", N_("Florida")),
    ("GA", N_("Georgia")),
    ("GU", N_("Guam")),
    ("HI", N_("Hawaii")),
    ("ID", N_("Idaho")),
    ("IL", N_("Illinois")),
    ("IN", N_("Indiana")),
    ("IA", N_("Iowa")),
    ("KS", N_("Kansas")),
    ("KY", N_("Kentucky")),
    ("LA", N_("Louisiana")),
    ("ME", N_("Maine")),
    ("MD", N_("Maryland")),
    ("MA", N_("Massachusetts")),
    ("MI", N_("Michigan")),
    ("MN", N_("Minnesota")),
    ("MS", N_("Mississippi")),
    ("MO", N_("Missouri")),
    ("MT", N_("Montana")),
    ("NE", N_("Nebraska")),
    ("NV", N_("Nevada")),
    ("NH", N_("New Hampshire")),
    ("NJ", N_("New Jersey")),
    ("NM", N_("New Mexico")),
    ("NY", N_("New York")),
    ("NC", N_("North Carolina")),
    ("ND", N_("North Dakota")),
    ("MP", N_("Northern Mariana Islands")),
    ("OH", N_("Ohio")),
    ("OK", N_("Oklahoma")),
    ("OR", N_("Oregon")),
    ("PA", N_("Pennsylvania")),
    ("PR", N_("Puerto Rico")),
    ("RI", N_("Rhode Island")),
    ("SC", N_("South Carolina")),
    ("SD", N_("South Dakota")),
    ("TN", N_("Tennessee")),
    ("TX", N_("Texas")),
    ("UM", N_("U.S. Minor Outlying Islands")),
    ("VI", N_("U.S. Virgin Islands")),
    ("UT", N_("Utah")),
    ("VT", N_("Vermont")),
    ("VA", N_("Virginia")),
    ("WA", N_("Washington")),
    ("WV", N_("West Virginia")),
    ("WI", N_("Wisconsin")),
    ("WY", N_("Wyoming")),
)
