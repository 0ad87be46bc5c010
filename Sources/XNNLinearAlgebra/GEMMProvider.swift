import CBLAS
import CDNNL

/// The library that computes one block of a single-precision product, on the calling thread.
///
/// Both are linked; the engine uses `.engine`. The other stays available so that `xnn bench` can
/// time both at the model's exact shapes, the faster one being the peak the engine is judged
/// against (docs/performance.md, "GEMM provider").
public enum GEMMProvider: String, CaseIterable, Codable, Sendable {
    /// oneDNN's `dnnl_sgemm`, held to one thread per call (Sources/CDNNL/shim.h).
    case oneDNN = "onednn"
    /// OpenBLAS's `cblas_sgemm`; one thread per call when the program set `ComputeThreads.openBLAS`.
    case openBLAS = "openblas"

    /// The engine's provider: OpenBLAS. oneDNN 2.6 trains the D = 1280 model only about 5–15 %
    /// faster here (2-core AMD EPYC, AVX-512 in both), but allocates its packing buffers inside
    /// every call (19 to 175 heap allocations per product at the D = 1280 shapes, 30 per step of
    /// AllocationFreeStepTests' small model; its
    /// matmul primitive with a user scratchpad still 6 per call), and the training step allocates
    /// nothing by design (AllocationFreeStepTests). docs/performance.md gives the measurements.
    public static let engine = GEMMProvider.openBLAS

    /// Whether a product may be cut into blocks on a `WorkerPool`: only when each call runs on one
    /// thread, or the bits would depend on the library's own thread count.
    var runsOneThreadPerCall: Bool {
        switch self {
        case .oneDNN: return true
        case .openBLAS: return BLAS.threadCount == 1
        }
    }

    /// Row-major `C (m × n) = α · op(A) · op(B) + β · C` with leading dimensions `lda`, `ldb`, `ldc`.
    func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch self {
        case .oneDNN:
            let status = xnn_dnnl_sgemm_one_thread(Self.flag(transposeA), Self.flag(transposeB), Int64(m), Int64(n), Int64(k),
                                                   alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
            precondition(status == dnnl_success, "dnnl_sgemm failed with status \(status.rawValue) for \(m)×\(k)·\(k)×\(n)")
        case .openBLAS:
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// oneDNN's transposition flag: "T" or "N" as a C char.
    private static func flag(_ transposed: Bool) -> CChar { CChar(UInt8(ascii: transposed ? "T" : "N")) }
}
