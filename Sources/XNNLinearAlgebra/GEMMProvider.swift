import CBLAS
import CDNNL
import XNNKernels

/// The library that computes one block of a single-precision product, on the calling thread.
///
/// All are linked; the engine uses `.engine`. The others stay available so that `xnn bench` can
/// race them at the model's exact shapes, the fastest being the peak the engine is judged against
/// (docs/performance.md, "GEMM provider").
public enum GEMMProvider: String, CaseIterable, Codable, Sendable {
    /// The engine's own kernels (Sources/XNNKernels/gemm.c): no packing, each element one fixed
    /// sequence of fused multiply-adds. Shapes they do not cover go to OpenBLAS (`coversWithKernels`).
    case kernels = "xnn"
    /// oneDNN's `dnnl_sgemm`, held to one thread per call (Sources/CDNNL/shim.h).
    case oneDNN = "onednn"
    /// OpenBLAS's `cblas_sgemm`; one thread per call when the program set `ComputeThreads.openBLAS`.
    case openBLAS = "openblas"

    /// The engine's provider: the own kernels, which train ~5 % faster than OpenBLAS at D = 1280
    /// (no packing of the weights, no separate pass to zero C) and allocate nothing. oneDNN 2.6
    /// is about as fast per product but allocates its packing buffers inside every call (19 to 175
    /// heap allocations per product at the D = 1280 shapes; its matmul primitive with a user
    /// scratchpad still 6 per call), and the training step allocates nothing by design
    /// (AllocationFreeStepTests). docs/performance.md gives the measurements.
    public static let engine = GEMMProvider.kernels

    /// How reports name it.
    public var displayName: String {
        switch self {
        case .kernels: return "xnn kernels"
        case .oneDNN: return "oneDNN"
        case .openBLAS: return "OpenBLAS"
        }
    }

    /// Whether a product may be cut into blocks on a `WorkerPool`: only when each call runs on one
    /// thread, or the bits would depend on the library's own thread count.
    var runsOneThreadPerCall: Bool {
        switch self {
        case .kernels, .oneDNN: return true
        case .openBLAS: return BLAS.threadCount == 1
        }
    }

    /// Row-major `C (m × n) = α · op(A) · op(B) + β · C` with leading dimensions `lda`, `ldb`, `ldc`.
    func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch self {
        case .kernels where Self.coversWithKernels(transposeA: transposeA, transposeB: transposeB, n: n, k: k):
            if transposeB {
                xnn_gemm_nt(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            } else {
                xnn_gemm_broadcast(m, n, k, alpha, a, transposeA ? 1 : lda, transposeA ? lda : 1, b, ldb, beta, c, ldc)
            }
        case .oneDNN:
            let status = xnn_dnnl_sgemm_one_thread(Self.flag(transposeA), Self.flag(transposeB), Int64(m), Int64(n), Int64(k),
                                                   alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
            precondition(status == dnnl_success, "dnnl_sgemm failed with status \(status.rawValue) for \(m)×\(k)·\(k)×\(n)")
        case .openBLAS, .kernels:
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// The shapes the own kernels take: A·Bᵀ with rows of at least 256 terms (each element is a
    /// dot product whose 16 lanes are summed at the end, a cost a shorter row does not amortise:
    /// at K = 100 the kernel ran at half OpenBLAS's speed), and op(A)·B with at least 16 columns
    /// (16-wide vectors of B's rows) and at least one term. The rest goes to OpenBLAS.
    static func coversWithKernels(transposeA: Bool, transposeB: Bool, n: Int, k: Int) -> Bool {
        transposeB ? !transposeA && k >= 256 : n >= 16 && k >= 1
    }

    /// oneDNN's transposition flag: "T" or "N" as a C char.
    private static func flag(_ transposed: Bool) -> CChar { CChar(UInt8(ascii: transposed ? "T" : "N")) }
}
