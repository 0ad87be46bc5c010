// libpng (Debian: libpng-dev). The simplified API's format macros are expressions Swift cannot
// import, so they are re-exported as functions.
#include <png.h>

static inline unsigned int xnn_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline unsigned int xnn_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
