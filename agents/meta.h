/* agents/meta.h - a built-in agent's OCF meta-data, from the schema. */
#ifndef META_H
#define META_H

/* Print the meta-data of type (its parameters and status checks from
 * xml/schema.c) with desc as its description; OCF_SUCCESS, or
 * OCF_ERR_GENERIC when the schema lacks the type. */
int meta_print(const char *type, const char *desc);

#endif
