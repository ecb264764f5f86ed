"""Summary table of the 128 univariate data sets of the UCR archive (2018 release).

Metadata only (no data): name, problem type, train and test sizes, number of
classes and series length, as published in the archive's ``DataSummary.csv``
(Dau et al., 2019).  ``"Vary"`` marks the 11 variable-length data sets; the four
data sets with missing values are flagged.
"""

# name, type, n_train, n_test, n_classes, length
_UCR_2018_UNIVARIATE = """\
Adiac,Image,390,391,37,176
ArrowHead,Image,36,175,3,251
Beef,Spectro,30,30,5,470
BeetleFly,Image,20,20,2,512
BirdChicken,Image,20,20,2,512
Car,Sensor,60,60,4,577
CBF,Simulated,30,900,3,128
ChlorineConcentration,Sensor,467,3840,3,166
CinCECGTorso,Sensor,40,1380,4,1639
Coffee,Spectro,28,28,2,286
Computers,Device,250,250,2,720
CricketX,Motion,390,390,12,300
CricketY,Motion,390,390,12,300
CricketZ,Motion,390,390,12,300
DiatomSizeReduction,Image,16,306,4,345
DistalPhalanxOutlineAgeGroup,Image,400,139,3,80
DistalPhalanxOutlineCorrect,Image,600,276,2,80
DistalPhalanxTW,Image,400,139,6,80
Earthquakes,Sensor,322,139,2,512
ECG200,ECG,100,100,2,96
ECG5000,ECG,500,4500,5,140
ECGFiveDays,ECG,23,861,2,136
ElectricDevices,Device,8926,7711,7,96
FaceAll,Image,560,1690,14,131
FaceFour,Image,24,88,4,350
FacesUCR,Image,200,2050,14,131
FiftyWords,Image,450,455,50,270
Fish,Image,175,175,7,463
FordA,Sensor,3601,1320,2,500
FordB,Sensor,3636,810,2,500
GunPoint,Motion,50,150,2,150
Ham,Spectro,109,105,2,431
HandOutlines,Image,1000,370,2,2709
Haptics,Motion,155,308,5,1092
Herring,Image,64,64,2,512
InlineSkate,Motion,100,550,7,1882
InsectWingbeatSound,Sensor,220,1980,11,256
ItalyPowerDemand,Sensor,67,1029,2,24
LargeKitchenAppliances,Device,375,375,3,720
Lightning2,Sensor,60,61,2,637
Lightning7,Sensor,70,73,7,319
Mallat,Simulated,55,2345,8,1024
Meat,Spectro,60,60,3,448
MedicalImages,Image,381,760,10,99
MiddlePhalanxOutlineAgeGroup,Image,400,154,3,80
MiddlePhalanxOutlineCorrect,Image,600,291,2,80
MiddlePhalanxTW,Image,399,154,6,80
MoteStrain,Sensor,20,1252,2,84
NonInvasiveFetalECGThorax1,ECG,1800,1965,42,750
NonInvasiveFetalECGThorax2,ECG,1800,1965,42,750
OliveOil,Spectro,30,30,4,570
OSULeaf,Image,200,242,6,427
PhalangesOutlinesCorrect,Image,1800,858,2,80
Phoneme,Sensor,214,1896,39,1024
Plane,Sensor,105,105,7,144
ProximalPhalanxOutlineAgeGroup,Image,400,205,3,80
ProximalPhalanxOutlineCorrect,Image,600,291,2,80
ProximalPhalanxTW,Image,400,205,6,80
RefrigerationDevices,Device,375,375,3,720
ScreenType,Device,375,375,3,720
ShapeletSim,Simulated,20,180,2,500
ShapesAll,Image,600,600,60,512
SmallKitchenAppliances,Device,375,375,3,720
SonyAIBORobotSurface1,Sensor,20,601,2,70
SonyAIBORobotSurface2,Sensor,27,953,2,65
StarLightCurves,Sensor,1000,8236,3,1024
Strawberry,Spectro,613,370,2,235
SwedishLeaf,Image,500,625,15,128
Symbols,Image,25,995,6,398
SyntheticControl,Simulated,300,300,6,60
ToeSegmentation1,Motion,40,228,2,277
ToeSegmentation2,Motion,36,130,2,343
Trace,Sensor,100,100,4,275
TwoLeadECG,ECG,23,1139,2,82
TwoPatterns,Simulated,1000,4000,4,128
UWaveGestureLibraryAll,Motion,896,3582,8,945
UWaveGestureLibraryX,Motion,896,3582,8,315
UWaveGestureLibraryY,Motion,896,3582,8,315
UWaveGestureLibraryZ,Motion,896,3582,8,315
Wafer,Sensor,1000,6164,2,152
Wine,Spectro,57,54,2,234
WordSynonyms,Image,267,638,25,270
Worms,Motion,181,77,5,900
WormsTwoClass,Motion,181,77,2,900
Yoga,Image,300,3000,2,426
ACSF1,Device,100,100,10,1460
AllGestureWiimoteX,Sensor,300,700,10,Vary
AllGestureWiimoteY,Sensor,300,700,10,Vary
AllGestureWiimoteZ,Sensor,300,700,10,Vary
BME,Simulated,30,150,3,128
Chinatown,Traffic,20,343,2,24
Crop,Image,7200,16800,24,46
DodgerLoopDay,Sensor,78,80,7,288
DodgerLoopGame,Sensor,20,138,2,288
DodgerLoopWeekend,Sensor,20,138,2,288
EOGHorizontalSignal,EOG,362,362,12,1250
EOGVerticalSignal,EOG,362,362,12,1250
EthanolLevel,Spectro,504,500,4,1751
FreezerRegularTrain,Sensor,150,2850,2,301
FreezerSmallTrain,Sensor,28,2850,2,301
Fungi,HRM,18,186,18,201
GestureMidAirD1,Trajectory,208,130,26,Vary
GestureMidAirD2,Trajectory,208,130,26,Vary
GestureMidAirD3,Trajectory,208,130,26,Vary
GesturePebbleZ1,Sensor,132,172,6,Vary
GesturePebbleZ2,Sensor,146,158,6,Vary
GunPointAgeSpan,Motion,135,316,2,150
GunPointMaleVersusFemale,Motion,135,316,2,150
GunPointOldVersusYoung,Motion,136,315,2,150
HouseTwenty,Device,40,119,2,2000
InsectEPGRegularTrain,EPG,62,249,3,601
InsectEPGSmallTrain,EPG,17,249,3,601
MelbournePedestrian,Traffic,1194,2439,10,24
MixedShapesRegularTrain,Image,500,2425,5,1024
MixedShapesSmallTrain,Image,100,2425,5,1024
PickupGestureWiimoteZ,Sensor,50,50,10,Vary
PigAirwayPressure,Hemodynamics,104,208,52,2000
PigArtPressure,Hemodynamics,104,208,52,2000
PigCVP,Hemodynamics,104,208,52,2000
PLAID,Device,537,537,11,Vary
PowerCons,Power,180,180,2,144
Rock,Spectrum,20,50,4,2844
SemgHandGenderCh2,Spectrum,300,600,2,1500
SemgHandMovementCh2,Spectrum,450,450,6,1500
SemgHandSubjectCh2,Spectrum,450,450,5,1500
ShakeGestureWiimoteZ,Sensor,50,50,10,Vary
SmoothSubspace,Simulated,150,150,3,15
UMD,Simulated,36,144,3,150
"""

# data sets of the 2018 release with missing values (NaN inside the series)
_MISSING_VALUES = frozenset(
    {"DodgerLoopDay", "DodgerLoopGame", "DodgerLoopWeekend", "MelbournePedestrian"}
)


def _rows():
    rows = []
    for line in _UCR_2018_UNIVARIATE.splitlines():
        name, kind, n_train, n_test, n_classes, length = line.split(",")
        rows.append(
            {
                "name": name,
                "type": kind,
                "n_train": int(n_train),
                "n_test": int(n_test),
                "n_classes": int(n_classes),
                "length": length if length == "Vary" else int(length),
                "missing_values": name in _MISSING_VALUES,
            }
        )
    return rows


_BY_NAME = {row["name"]: row for row in _rows()}

# the 30 multivariate data sets of the UEA archive (2018 release; Bagnall et al., 2018)
_UEA_2018_MULTIVARIATE = (
    "ArticularyWordRecognition",
    "AtrialFibrillation",
    "BasicMotions",
    "CharacterTrajectories",
    "Cricket",
    "DuckDuckGeese",
    "EigenWorms",
    "Epilepsy",
    "ERing",
    "EthanolConcentration",
    "FaceDetection",
    "FingerMovements",
    "HandMovementDirection",
    "Handwriting",
    "Heartbeat",
    "InsectWingbeat",
    "JapaneseVowels",
    "Libras",
    "LSST",
    "MotorImagery",
    "NATOPS",
    "PEMS-SF",
    "PenDigits",
    "PhonemeSpectra",
    "RacketSports",
    "SelfRegulationSCP1",
    "SelfRegulationSCP2",
    "SpokenArabicDigits",
    "StandWalkJump",
    "UWaveGestureLibrary",
)


def list_archive_datasets(collection="univariate"):
    """Names of the data sets of the published archives (no data: the lists only).

    Parameters
    ----------
    collection : {"univariate", "multivariate", "all"}, default="univariate"
        ``"univariate"``: the 128 data sets of the UCR 2018 archive;
        ``"multivariate"``: the 30 of the UEA 2018 archive; ``"all"``: both.

    Returns
    -------
    names : list of str
        Names as the archives spell them (UCR first, then UEA).

    References
    ----------
    .. [1] H. A. Dau et al., "The UCR time series archive", IEEE/CAA J. Autom.
       Sinica 6(6), 2019.
    .. [2] A. Bagnall et al., "The UEA multivariate time series classification
       archive, 2018", arXiv:1811.00075.

    Examples
    --------
    >>> from sklearn_geom.datasets import list_archive_datasets
    >>> len(list_archive_datasets("univariate")), len(list_archive_datasets("multivariate"))
    (128, 30)
    """
    if collection not in ("univariate", "multivariate", "all"):
        raise ValueError(
            f"collection must be 'univariate', 'multivariate' or 'all'; got {collection!r}."
        )
    uni = [row["name"] for row in _rows()]
    if collection == "univariate":
        return uni
    if collection == "multivariate":
        return list(_UEA_2018_MULTIVARIATE)
    return uni + list(_UEA_2018_MULTIVARIATE)


def ucr_archive_summary(as_frame="auto"):
    """Sizes of the 128 univariate data sets of the UCR archive (2018).

    The table is metadata from the archive's published summary (no series are
    included or downloaded): use it to plan a run on a local copy of the archive
    or to check a download.

    Parameters
    ----------
    as_frame : bool or "auto", default="auto"
        Return a :class:`pandas.DataFrame` (needs pandas); ``"auto"`` returns a
        DataFrame when pandas is installed and a list of dicts otherwise.

    Returns
    -------
    table : pandas.DataFrame or list of dict
        One row per data set with the columns ``name``, ``type``, ``n_train``,
        ``n_test``, ``n_classes``, ``length`` (an int, or ``"Vary"`` for the 11
        variable-length sets) and ``missing_values`` (bool).

    References
    ----------
    .. [1] H. A. Dau, A. Bagnall, K. Kamgar, C.-C. M. Yeh, Y. Zhu, S. Gharghabi,
       C. A. Ratanamahatana and E. Keogh, "The UCR time series archive",
       IEEE/CAA Journal of Automatica Sinica 6(6), 1293-1305, 2019.

    Examples
    --------
    >>> from sklearn_geom.datasets import ucr_archive_summary
    >>> table = ucr_archive_summary(as_frame=False)
    >>> len(table)
    128
    >>> [row for row in table if row["name"] == "GunPoint"][0]["n_train"]
    50
    """
    rows = _rows()
    if as_frame == "auto":
        try:
            import pandas  # noqa: F401
        except ImportError:  # pragma: no cover - pandas missing
            return rows
        as_frame = True
    if not as_frame:
        return rows
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas missing
        raise ImportError("as_frame=True needs pandas: pip install pandas.") from exc
    return pd.DataFrame(rows)
