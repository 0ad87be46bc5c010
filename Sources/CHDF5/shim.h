// HDF5's C API (Debian: libhdf5-dev). The H5T_NATIVE_* and H5P_DEFAULT names are macros over
// globals that Swift cannot import, so each needed one gets a tiny inline accessor here.
#include <hdf5.h>
#include <stdio.h>

static inline hid_t xnn_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t xnn_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t xnn_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t xnn_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t xnn_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t xnn_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t xnn_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t xnn_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t xnn_h5t_std_u8le(void) { return H5T_STD_U8LE; }
static inline hid_t xnn_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t xnn_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t xnn_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t xnn_h5s_all(void) { return H5S_ALL; }
static inline size_t xnn_h5t_variable(void) { return H5T_VARIABLE; }
static inline unsigned xnn_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned xnn_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned xnn_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned xnn_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
/// Stops HDF5 from printing its error stack (the Swift layer reports one line instead) and from
/// tearing itself down at exit: a file whose close failed (disk full) stays in HDF5's tables, and
/// the teardown then crashes on it (HDF5 1.10) after xnn has already reported the error. Every
/// file xnn opens is closed explicitly, so the teardown has nothing else to do.
static inline void xnn_h5_prepare_library(void) {
    H5dont_atexit();  // must precede every other HDF5 call of the process
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/// Calls `callback(name, context)` for every dataset under the file's root, names relative to it.
typedef void (*xnn_dataset_name_callback)(const char *name, void *context);
struct xnn_visit_context { xnn_dataset_name_callback callback; void *context; };
static inline herr_t xnn_visit_operator(hid_t object, const char *name, const H5O_info_t *info, void *data) {
    (void)object;
    struct xnn_visit_context *visit = (struct xnn_visit_context *)data;
    if (info->type == H5O_TYPE_DATASET) visit->callback(name, visit->context);
    return 0;
}
static inline herr_t xnn_visit_datasets(hid_t file, xnn_dataset_name_callback callback, void *context) {
    struct xnn_visit_context visit = { callback, context };
    return H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, xnn_visit_operator, &visit);
}

/// Copies the innermost message of HDF5's error stack (the most specific, e.g. "truncated file:
/// eof = 800, …, stored_eof = 3728") into `buffer`; an empty string when the stack is empty.
static inline herr_t xnn_h5_error_walker(unsigned n, const H5E_error2_t *error, void *data) {
    (void)n;
    char *buffer = (char *)data;
    if (error->desc) { snprintf(buffer, 512, "%s", error->desc); }
    return 0;
}
static inline void xnn_h5_innermost_error(char buffer[512]) {
    buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, xnn_h5_error_walker, buffer);
}
