"""Published accuracies of the ROCKET family, shown beside ours in the report."""


def published_accuracies():
    """{(data set, method): (accuracy, source)} of the published results shipped as data."""
    return {}


def attach_published(summary):
    """Add ``published_accuracy`` and ``published_source`` to summary rows where known."""
    table = published_accuracies()
    for s in summary:
        acc, src = table.get((s["dataset"], s["method"]), (None, None))
        s["published_accuracy"] = acc
        s["published_source"] = src
    return summary
