// Cairo 2D graphics (Debian libcairo2-dev): the PDF report and its figures.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
