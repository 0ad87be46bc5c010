import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNStorage
import XNNTraining

/// `model.concepts: auto` (docs/sweeps.md, "Choosing k"): k = 1, 2, … is trained, one fit each
/// with the run's recipe, and scored by the faithfulness R² on the validation rows. Under the
/// constrained recipe the answer is the smallest k whose validation R² meets the faithfulness
/// target (as the kept epoch must: the attainable target less `BestEpoch.slack`), and the search
/// stops there. Otherwise (the paper's recipe, or no k meets it) it is the smallest k within
/// `tolerance` of the best R², the search stopping once two k in a row have not raised the best by
/// more than the tolerance, or at `ModelConfiguration.largestAutomaticConcepts`. The test rows
/// play no part.
public struct ConceptCountChoice: Codable, Equatable, Sendable {
    public struct Trial: Codable, Equatable, Sendable {
        public var concepts: Int
        public var validationR2: Double
        public var seconds: Double

        enum CodingKeys: String, CodingKey { case concepts, validationR2 = "validation_r2", seconds }
    }

    public static let tolerance = 0.01
    public var trials: [Trial]
    public var chosen: Int
    /// The validation R² a k had to reach (constrained recipe), if any.
    public var threshold: Double?
    public var tolerance: Double
    public var reason: String
    /// Whether the search ended at `model.concepts_seconds` rather than by its rule.
    public var stoppedByTimeLimit: Bool?

    /// Trains the trials on `data` with `configuration` (its k replaced), reporting each to
    /// `notice`. A stop request ends the search (the trials keep no checkpoint).
    public static func choose(_ configuration: RunConfiguration, data: ActivationData, threads: ComputeThreads,
                              stop: StopRequest, notice: (String) -> Void) throws -> ConceptCountChoice {
        guard !data.validationRows.isEmpty else {
            throw ConfigError.invalidValue(file: "configuration", keyPath: "model.concepts", line: nil,
                                           expected: "a number of concepts, or auto with validation rows (data.validation_fraction > 0)",
                                           found: "auto with no validation rows")
        }
        let threshold = try configuration.training.recipe == .constrained
            ? Trainer(architecture: configuration.model.architecture(inputDimension: data.inputDimension, outputs: data.outputCount),
                      lossWeights: configuration.loss, settings: configuration.training, seed: configuration.seed)
                .attainableFaithfulness(data) - BestEpoch.slack
            : nil
        var trials: [Trial] = [], stale = 0, outOfTime = false
        let started = ContinuousClock.now
        for k in 1...ModelConfiguration.largestAutomaticConcepts {
            let trial: Trial
            do {
                trial = try train(configuration, concepts: k, data: data, threads: threads, stop: stop)
            } catch is TrainingStopped {
                throw RunError.stoppedChoosingConcepts(tried: trials.count)
            }
            notice(String(format: "concepts: k = %d: validation R² %.4f (%.1f s)", k, trial.validationR2, trial.seconds))
            let best = trials.map(\.validationR2).max() ?? -.infinity
            stale = trial.validationR2 > best + tolerance ? 0 : stale + 1
            trials.append(trial)
            if let threshold, trial.validationR2 >= threshold { break }
            if threshold == nil && stale >= 2 { break }
            if started.duration(to: .now).seconds > configuration.model.conceptSearchSeconds, k < ModelConfiguration.largestAutomaticConcepts {
                outOfTime = true
                notice(String(format: "concepts: stopping the search after k = %d: model.concepts_seconds (%.0f s) is spent", k,
                              configuration.model.conceptSearchSeconds))
                break
            }
        }
        var choice = decide(trials, threshold: threshold)
        if outOfTime {
            choice.stoppedByTimeLimit = true
            choice.reason += String(format: "; the search stopped after k = %d, its time (model.concepts_seconds = %.0f s) spent",
                                    trials.count, configuration.model.conceptSearchSeconds)
        }
        return choice
    }

    /// The smallest k reaching `threshold`; without one (or when none does), the smallest k
    /// within the tolerance of the best validation R² among `trials`.
    public static func decide(_ trials: [Trial], threshold: Double? = nil) -> ConceptCountChoice {
        let best = trials.max { $0.validationR2 < $1.validationR2 }!
        if let threshold, let first = trials.filter({ $0.validationR2 >= threshold }).min(by: { $0.concepts < $1.concepts }) {
            let reason = String(format: "k = %d is the smallest whose validation R² (%.4f) meets the faithfulness target (%.4f)",
                                first.concepts, first.validationR2, threshold)
            return ConceptCountChoice(trials: trials, chosen: first.concepts, threshold: threshold, tolerance: tolerance, reason: reason)
        }
        let chosen = trials.filter { $0.validationR2 >= best.validationR2 - tolerance }.min { $0.concepts < $1.concepts }!
        let missed = threshold.map { String(format: "; no k reached the faithfulness target %.4f", $0) } ?? ""
        let reason = String(format: "k = %d is the smallest whose validation R² (%.4f) is within %.2f of the best (%.4f, k = %d)%@",
                            chosen.concepts, chosen.validationR2, tolerance, best.validationR2, best.concepts, missed)
        return ConceptCountChoice(trials: trials, chosen: chosen.concepts, threshold: threshold, tolerance: tolerance, reason: reason)
    }

    static func train(_ configuration: RunConfiguration, concepts k: Int, data: ActivationData, threads: ComputeThreads,
                      stop: StopRequest) throws -> Trial {
        var settings = configuration.training
        settings.search.candidates = 1
        var model = configuration.model
        model.concepts = k
        model.chooseConcepts = false
        let architecture = model.architecture(inputDimension: data.inputDimension, outputs: data.outputCount)
        var trainer = Trainer(architecture: architecture, lossWeights: configuration.loss, settings: settings,
                              seed: configuration.seed, kind: model.kind)
        trainer.threads = threads
        trainer.checkpoints = TrainingCheckpointing(interval: 1e9, stop: stop) { _ in }  // stop requests only, never a save
        let started = ContinuousClock.now
        let outcome = try trainer.train(data)
        let (_, predictions) = try data.infer(outcome.model, rows: data.validationRows)
        let targets = ActivationData.gathered(rows: data.validationRows, from: data.targets)
        let seconds = started.duration(to: .now)
        return Trial(concepts: k, validationR2: FaithfulnessMetrics(predictions: predictions, targets: targets).r2,
                     seconds: seconds.seconds)
    }
}
