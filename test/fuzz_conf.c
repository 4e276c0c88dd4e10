/* test/fuzz_conf.c - libFuzzer target: bytes -> XML -> cluster.conf model
 * -> every check, then the read view walked as its users walk it.  Must
 * never crash, leak or hang, whatever the bytes. */
#include "../xml/validate.h"

#include <stdint.h>
#include <stdlib.h>

static void walk_res(const struct conf_res *r, struct buf *b)
{
	for (; r; r = r->next) {
		const char *n = conf_res_name(r);

		buf_puts(b, n ? n : "-");
		walk_res(r->child, b);
	}
}

static void walk(const struct conf *c, struct buf *b)
{
	for (int i = 0; i < c->nnodes; i++)
		for (int m = 0; m < c->nodes[i].nmethods; m++)
			for (int d = 0; d < c->nodes[i].methods[m].ndevs; d++)
				conf_fence_args(&c->nodes[i].methods[m].devs[d],
						c->nodes[i].name, b);
	for (int i = 0; i < c->nservices; i++)
		walk_res(c->services[i].res, b);
	walk_res(c->globals, b);
	buf_printf(b, "%d %s %d", c->cman.cluster_id, c->cman.mcast,
		   c->quorum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xml_node *doc = xml_parse((const char *)data, size, NULL);
	struct buf out = {0};
	struct conf *c;

	if (!doc)
		return 0;
	validate_doc(doc, "fuzz.conf", &out, NULL);
	c = conf_load(doc, NULL);
	walk(c, &out);
	conf_free(c);
	buf_free(&out);
	xml_free(doc);
	return 0;
}
