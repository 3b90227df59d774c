#ifndef WOODSTOCK_CHIREDIS_SHIM_H
#define WOODSTOCK_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
