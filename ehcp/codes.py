"""Data standards from the DfE SEN2 return: primary need and setting codes, plan end reasons."""

from django.db import models


class PrimaryNeed(models.TextChoices):
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


class SettingType(models.TextChoices):
    """Where the child or young person is educated, grouped as SEN2's establishment and setting codes are."""

    EARLY_YEARS = "EY", "Early years setting"
    MAINSTREAM = "MS", "Mainstream school"
    RESOURCED = "RP", "Resourced provision or SEN unit"
    SPECIAL = "SS", "Special school"
    INDEPENDENT_SPECIAL = "ISS", "Independent or non-maintained special school"
    ALTERNATIVE = "AP", "Alternative provision or pupil referral unit"
    FURTHER_EDUCATION = "FE", "Further education or sixth form college"
    SPECIALIST_POST16 = "SPI", "Specialist post-16 institution"
    APPRENTICESHIP = "APP", "Apprenticeship or traineeship"
    HOME_EDUCATED = "EHE", "Elective home education"
    NOT_IN_EDUCATION = "NIE", "Not in education, employment or training"
    OTHER = "OTH", "Other arrangements"


class PlanEndReason(models.TextChoices):
    """Why a plan ceased (SEN2 plan end reasons, shortened)."""

    OUTCOMES_MET = "OUTCOMES", "Outcomes achieved"
    MOVED_AWAY = "MOVED", "Moved to another local authority"
    EMPLOYMENT = "EMPLOY", "Moved into paid employment"
    HIGHER_EDUCATION = "HE", "Moved into higher education"
    NOT_ENGAGING = "DISENGAGED", "Young person no longer wishes to engage"
    NO_LONGER_NEEDED = "NOLONGER", "Needs met without a plan"
    DIED = "DIED", "Died"
    OTHER = "OTHER", "Other"


class AssessmentException(models.TextChoices):
    """Exceptions to the 20-week timescale (SEND Regulations 2014, regulation 13(3))."""

    NONE = "", "None"
    LA_CLOSURE = "CLOSURE", "Local authority or school closure period"
    FAMILY_CIRCUMSTANCES = "FAMILY", "Exceptional personal circumstances of the child or parent"
    ABSENCE = "ABSENT", "Child or parent away from the area for four weeks or more"
    MISSED_APPOINTMENT = "APPOINT", "Failure to keep an appointment"


class ReviewDecision(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan unchanged"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"
