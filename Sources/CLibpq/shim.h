#ifndef WOODSTOCK_CLIBPQ_SHIM_H
#define WOODSTOCK_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
