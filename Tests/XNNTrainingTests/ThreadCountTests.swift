import XCTest
import XNNModel
import XNNTraining

/// `training.threads`: one default (0, automatic) for `xnn train` and `xnn sweep`; the automatic
/// count uses the cores the program grants (`xnn train --cores`, which a sweep sets to each run's share).
final class ThreadCountTests: XCTestCase {
    func architecture(width: Int) -> SRAEArchitecture {
        SRAEArchitecture(inputDimension: 1280, hiddenWidths: [width, 100], concepts: 5, outputs: 1)
    }

    func testAutomaticCountFollowsTheModelAndTheGrantedCores() {
        let settings = TrainingConfiguration()
        XCTAssertEqual(settings.threads, 0, "the one default of train and sweep")
        XCTAssertEqual(settings.threadCount(for: architecture(width: 8), cores: 4), 1, "small products: one thread")
        XCTAssertEqual(settings.threadCount(for: architecture(width: 800), cores: 4), 4)
        XCTAssertEqual(settings.threadCount(for: architecture(width: 800), cores: 1), 1)
        var explicit = settings
        explicit.threads = 3
        XCTAssertEqual(explicit.threadCount(for: architecture(width: 800), cores: 1), 3, "an explicit count is kept")
    }
}
