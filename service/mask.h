/* mask.h - masking personal names for roles that do not need them (张*明). */
#ifndef DUDAO_MASK_H
#define DUDAO_MASK_H

#include <stddef.h>

/* Writes name masked into out: the first and last characters kept with one '*'
 * between ("张三明" → "张*明", "欧阳小明" → "欧*明"); a two-character name keeps
 * its first ("张三" → "张*"); a one-character name becomes "*". Characters are
 * UTF-8 code points; surrounding spaces are ignored. Returns 0, or -1 when out is
 * too small (out then holds "*"). */
int mask_name(const char *name, char *out, size_t outlen);

#endif
