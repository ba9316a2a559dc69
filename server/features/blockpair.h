/*
 * blockpair.h: from a block's opener to its closer and back (ft_blockpair_at),
 * for textDocument/definition on <<REPEAT>> / <</REPEAT>>, ^^CONDITION^^ /
 * ^^/CONDITION^^, @{example} / @{/example}, <critical_rule>, [[LLM: / ]]
 * and fences. Plain C over the grammar tree, byte spans.
 */
#ifndef TMPL_SERVER_FEATURES_BLOCKPAIR_H
#define TMPL_SERVER_FEATURES_BLOCKPAIR_H

#include <stdint.h>

#include "grammar/grammar.h"

/**
 * When `offset` lies on the opener or the closer of a block that has both
 * (the innermost such block), set *from to that token and *to to the other
 * one and return 1; else 0. A token's end counts (the cursor just after
 * "<</REPEAT>>").
 */
int ft_blockpair_at(const gr_tree *tree, uint32_t offset, gr_span *from, gr_span *to);

#endif
