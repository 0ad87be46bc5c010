import XNNModel

/// How many fits a training run makes and with what regularisation (docs/method.md §4,
/// "Choosing among fits"). The constrained recipe searches: it trains `training.search.candidates`
/// fits, each from its own initialisation and with the next weight decay, dropout and widths of
/// the search grid, and keeps the one the validation rows rank best. The paper's recipe retries with its
/// configured regularisation until the acceptance test passes.
struct FitPlan {
    let isSearch: Bool
    let maxFits: Int
    private let search: SearchConfiguration

    init(settings: TrainingConfiguration) {
        search = settings.search
        isSearch = settings.recipe == .constrained && settings.acceptance.enabled
        if isSearch {
            maxFits = search.candidates
        } else {
            maxFits = settings.acceptance.enabled ? settings.acceptance.maxRetries + 1 : 1
        }
    }

    func regularisation(of fit: Int, configuredWeightDecay: Float, architecture: SRAEArchitecture) -> Regularisation {
        guard isSearch else {
            return Regularisation(weightDecay: configuredWeightDecay, dropout: architecture.dropout, hiddenWidths: architecture.hiddenWidths)
        }
        return search.regularisation(of: fit, weightDecay: configuredWeightDecay, architecture: architecture)
    }

    /// Whether the search's time budget still allows fit `fit` after `seconds` of fitting: the first
    /// always starts; another only if one more, as long as the mean of those so far, fits.
    func budgetAllows(fit: Int, after seconds: Double) -> Bool {
        guard isSearch && fit > 0 else { return true }
        return seconds + seconds / Double(fit) <= search.budgetMinutes * 60
    }
}

extension AttemptReport {
    /// The order fits are chosen in: an accepted one, then fewest concepts dead on the training
    /// rows, then the best kept epoch on the validation rows (fewest dead there, faithfulness met,
    /// orthogonality met, lowest unconstrained loss), then the better fit; the earliest on a tie.
    func isBetter(than other: AttemptReport) -> Bool {
        if accepted != other.accepted { return accepted }
        if deadConcepts.count != other.deadConcepts.count { return deadConcepts.count < other.deadConcepts.count }
        if let a = quality, let b = other.quality, a != b { return a < b }
        return finalLosses.faithfulness < other.finalLosses.faithfulness
    }
}
