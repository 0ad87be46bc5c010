import CBLAS

/// The leading eigenpairs of a symmetric matrix, by LAPACK's `dsyevr` (Debian's OpenBLAS carries
/// LAPACK): the PCA baseline's components (docs/method.md §7).
public enum SymmetricEigen {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notConverged(size: Int, code: Int)
        public var description: String {
            switch self {
            case .notConverged(let size, let code):
                "eigen-decomposition: LAPACK's dsyevr failed on a \(size)×\(size) matrix (info \(code))"
            }
        }
    }

    /// The `count` largest eigenvalues of the `size` × `size` symmetric `matrix` (row- or
    /// column-major alike), largest first, and their unit eigenvectors (`vectors[e]` belongs to
    /// `values[e]`).
    public static func leading(_ count: Int, of matrix: [Double], size: Int) throws -> (values: [Double], vectors: [[Double]]) {
        precondition(matrix.count == size * size && (1...size).contains(count), "eigenpairs: \(count) of a \(size)×\(size) matrix")
        var a = matrix, n = Int32(size), lowest = Int32(size - count + 1), highest = Int32(size)
        var found: Int32 = 0, info: Int32 = 0, unusedBound = 0.0, tolerance = 0.0
        var values = [Double](repeating: 0, count: size), vectors = [Double](repeating: 0, count: size * count)
        var support = [Int32](repeating: 0, count: 2 * count)
        var job = CChar(UInt8(ascii: "V")), range = CChar(UInt8(ascii: "I")), upper = CChar(UInt8(ascii: "U"))
        // Ask for the workspace sizes first, then decompose.
        var workSize = 0.0, integerWorkSize: Int32 = 0, query: Int32 = -1
        dsyevr_(&job, &range, &upper, &n, &a, &n, &unusedBound, &unusedBound, &lowest, &highest, &tolerance, &found,
                &values, &vectors, &n, &support, &workSize, &query, &integerWorkSize, &query, &info)
        var lwork = Int32(workSize), liwork = integerWorkSize
        var work = [Double](repeating: 0, count: Int(lwork)), integerWork = [Int32](repeating: 0, count: Int(liwork))
        dsyevr_(&job, &range, &upper, &n, &a, &n, &unusedBound, &unusedBound, &lowest, &highest, &tolerance, &found,
                &values, &vectors, &n, &support, &work, &lwork, &integerWork, &liwork, &info)
        guard info == 0, found == Int32(count) else { throw Failure.notConverged(size: size, code: Int(info)) }
        // Ascending from LAPACK; eigenvector e is column e of the column-major z.
        let order = (0..<count).reversed()
        return (order.map { values[$0] }, order.map { Array(vectors[($0 * size)..<(($0 + 1) * size)]) })
    }
}
