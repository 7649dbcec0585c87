// Package web is the office desk: the pages on which a community clerk does
// the day's work, offline, served from the office's own replica by
// `wanxia office desk` (or by any program: New returns an http.Handler).
//
// Every action a page offers calls a use case of package desk, the same
// function the command calls, so that no rule is written twice; the pages
// only parse what was typed, call, and render the view structs the use
// case returns. Templates (html/template) and the assets (one stylesheet
// and a little plain script, for filling the birth date and gender as an
// ID number is typed, showing a sync's progress and asking before an
// action that cannot be undone) are built into the binary with embed;
// nothing comes from the network, and every page works without the
// script.
//
// # Words
//
// Every word of the desk's own is a key of the two message tables,
// messagesZH and messagesEN, which have the same keys: a page takes its
// words from the reader's table (page.T), never from both. The reader's
// language is their choice (the language link, kept in a cookie), else
// Options.Lang, Chinese by default. The records' own words come from the
// domain in the reader's language (a category's Label, a field error's
// Message, package wording for the rest).
//
// # Safety
//
// The desk is meant for 127.0.0.1 (Options.LoopbackOnly refuses any other
// Host). Every reader has a session (a cookie); every form carries the
// session's token in a hidden field (_token), and a POST without it is
// refused with 403 and a page that says nothing was saved. A desk that
// listens where other computers reach it asks for the password set with
// SetPassword (kept as a bcrypt hash in the replica). No ID number or
// health detail is ever put in an address or a log line: searching by ID
// number is a POST, and the log names a request's route, not its path.
//
// # Adding a page
//
//  1. A handler, in the section's file (cadres.go, …): it builds the page
//     with s.newPage(r, section, titleKey), calls the desk use case, puts
//     the view in p.Data and calls s.render(w, r, name, p). An action is a
//     POST handler that calls the use case and either renders the form
//     again with p.addProblem for each problem (everything typed kept in
//     p.Form) or redirects with s.redirect and a flash.
//  2. Its address, in the section's …Routes method, which Server.routes
//     lists.
//  3. A template, templates/NAME.html, that defines "main"; it is parsed
//     with templates/layout.html and templates/partials/*.html.
//  4. Its words: a key in messagesZH and the same key in messagesEN (the
//     tests fail on a key one table lacks, on English with Chinese in it,
//     and on a page that shows ⟦key⟧, a key neither has).
//  5. For a new section, its entry in sections (nav.go), in the nav's
//     order; a section is listed only once its pages are built.
//  6. A browser test (web_browser_test.go) that uses it as a clerk would.
package web
