// OpenBLAS's CBLAS interface plus its thread-count controls (Debian: libopenblas-dev).
#include <cblas.h>

// Two LAPACK routines that Debian's OpenBLAS carries (it has no LAPACKE C interface), with
// Fortran's calling convention: Cholesky factorisation of a symmetric positive definite matrix,
// and the solve with its factor. Column-major; every argument by pointer.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);

// LAPACK's symmetric eigensolver (relatively robust representations): selected eigenvalues, in
// ascending order, and their eigenvectors as the columns of z.
void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, double *a, const int *lda,
             const double *vl, const double *vu, const int *il, const int *iu, const double *abstol, int *m,
             double *w, double *z, const int *ldz, int *isuppz, double *work, const int *lwork, int *iwork,
             const int *liwork, int *info);
