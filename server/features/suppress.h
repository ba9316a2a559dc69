/*
 * suppress.h: inline suppression comments (tl_suppress_*).
 *
 * An HTML comment, invisible when the Markdown is rendered, turns
 * diagnostics off where it says, in a template or a document alike:
 *
 *   <!-- tmpl-ls-disable [CODE...] -->            from here on
 *   <!-- tmpl-ls-enable [CODE...] -->             back on from here
 *   <!-- tmpl-ls-disable-line [CODE...] -->       on the comment's line(s)
 *   <!-- tmpl-ls-disable-next-line [CODE...] -->  on the line after it
 *   <!-- tmpl-ls-disable-file [CODE...] -->       in the whole file
 *
 * CODEs are diagnostic codes ("unfilled-placeholder"), separated by blanks
 * or commas; none means every code. A diagnostic is off when the place it
 * starts is. A code that names no diagnostic is reported
 * (unknown-suppression), so a typo does not silently do nothing. Comments
 * inside code blocks and code spans are text, not directives.
 */
#ifndef TMPL_SERVER_FEATURES_SUPPRESS_H
#define TMPL_SERVER_FEATURES_SUPPRESS_H

#include "grammar/grammar.h"
#include "server/features/diagnostics.h"

/* The code this module reports (see diagnostics.c's registry). */
#define TL_SUPPRESS_CODES(XX) XX(UNKNOWN_SUPPRESSION, "unknown-suppression", GR_SEV_WARNING)

/**
 * Drop the diagnostics of `d` that the suppression comments of `tree`
 * turn off (d sorted by position, as tl_diags_sort leaves it; it stays
 * so), after adding one unknown-suppression warning per unknown code.
 */
void tl_suppress(tl_diags *d, const gr_tree *tree);

/** The comment that turns `code` off on the line after it: "<!-- tmpl-ls-disable-next-line CODE -->". */
#define TL_SUPPRESS_NEXT_LINE "tmpl-ls-disable-next-line"
#define TL_SUPPRESS_LINE "tmpl-ls-disable-line"
#define TL_SUPPRESS_FILE "tmpl-ls-disable-file"

#endif
