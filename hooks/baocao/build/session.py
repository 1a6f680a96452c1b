"""The build session: what one build of the site holds, and what lasts across builds.

:class:`Engine` lives as long as the process (one ``mkdocs build``, or every rebuild of one
``mkdocs serve``): whether it serves, the staging folder, the pages of the last good build,
the garbage collector's policy. Each build gets a :class:`BuildSession` from
:meth:`Engine.begin`: its settings, the checked archive (or, under serve, the problems
the error site shows), the page plan, the memo of converted texts. The MkDocs adapter
calls one method for each MkDocs event and hands over plain values (paths, source URIs,
HTML); it never keeps state of its own.

The garbage collector (:class:`Memory`): long-lived objects are kept out of its passes
(:func:`gc.freeze`): MkDocs' own when the hook module is imported (before baocao's
imports, which used to trigger a full collection of them), then the archive after the
check. They last the whole build; walking them at every full collection, and once more
as the process exits, cost about 0.13 s of a 40-report build of 1.7 s. ``mkdocs build``
never hands them back (the process ends with the build); any build after the first in a
process (``mkdocs serve --clean``, which builds as ``build``, too) hands them back and
collects before it starts, so that what a rebuild drops is never frozen. ``mkdocs serve``
freezes what its first build keeps (the engine, the theme, the first archive) once, and
its rebuilds freeze nothing: a full collection before each rebuild walked everything the
server holds (a large share of a rebuild that writes a few pages), and what a rebuild
drops is collected as usual.
"""

from __future__ import annotations

import datetime
import gc
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from baocao import deadlines
from baocao.build import downloads, errorsite, incremental, logs, staging
from baocao.build.drawn import toc_tokens
from baocao.build.incremental import Previous, SearchEntries
from baocao.build.published import PublishedFiles
from baocao.build.themecache import ThemeCache
from baocao.check import run_check
from baocao.contribute import cms
from baocao.load import siteconfig
from baocao.load.cache import FileCache, TextCache
from baocao.load.siteconfig import Settings
from baocao.model import Archive
from baocao.problems import Problem, failing, log_level, summary
from baocao.render import calendar, fragments, pages
from baocao.render.links import Links
from baocao.render.site import PageSpec, headings, plan
from baocao.render.templates import FOLDER as TEMPLATES
from baocao.render.templates import Templates


class BuildFailed(Exception):
    """The build must stop; the message (Vietnamese) says why and what to do."""


@dataclass
class Memory:
    """The garbage collector's policy (see the module's docstring)."""

    serving: bool = False
    #: builds started in this process (``mkdocs serve``, also with ``--clean``, builds again).
    builds: int = 0

    def before_check(self) -> None:
        if self.builds and not self.serving:
            # Hand back what the build before froze (a failed one never reached its end)
            # and collect what it dropped, before this build freezes what is alive again.
            gc.unfreeze()
            gc.collect()
        self.builds += 1

    def after_check(self) -> None:
        # The archive, the schemas and the imports live for the whole build (under serve:
        # what the first build keeps lives as long as the server).
        if not self.serving or self.builds == 1:
            gc.freeze()


@dataclass
class Stage:
    """A ``mkdocs build`` writes beside the site folder and is swapped in after success
    (:mod:`baocao.build.staging`)."""

    site: Path
    staging: Path
    #: gives the engine's configuration its site folder back after the build.
    restore: Callable[[Path], None]


@dataclass
class BuildSession:
    """One build: its settings, the checked archive or the problems, the page plan."""

    root: Path
    settings: Settings
    serving: bool
    links: Links
    templates: Templates
    published: PublishedFiles
    #: the checked archive; None when the check failed (then the error site is shown).
    archive: Archive | None
    problems: list[Problem]
    #: the pages baocao owns, by source URI (filled by :meth:`files`).
    plan: dict[str, PageSpec] = field(default_factory=dict)
    #: contributor texts converted by earlier builds (cleaned again, like new ones).
    memo: TextCache | None = None
    #: the site's address (``site_url``), for the web form's configuration.
    site_url: str = ""
    #: under ``baocao serve`` (a dirty serve): the engine asks each page whether it changed.
    tracking: bool = False
    #: what the last good build left (tracking only); None: draw and write every page.
    previous: Previous | None = None
    #: every file under docs/ and data/ before the check (tracking only), and those that
    #: changed since the last good build.
    snapshot: dict[str, tuple] = field(default_factory=dict)
    changed_files: set[str] = field(default_factory=set)
    #: the day deadlines are counted from (the same for every page of the build).
    today: datetime.date = field(default_factory=deadlines.today)
    #: the pages to write again (tracking only); None: every page.
    modified: set[str] | None = None
    #: what each page of the plan gave the engine (tracking only): digest, wrapped content.
    digests: dict[str, str] = field(default_factory=dict)
    wrapped: dict[str, str] = field(default_factory=dict)
    #: the engine's documentation pages in its order, and every file's path in the site.
    order: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    frame: str = ""
    #: only the text of content files changed since the last build (tracking only).
    text_only: bool = False
    #: texts kept between the builds of a preview server (the web form's configuration).
    kept: dict[str, str] = field(default_factory=dict)

    def refused(self, src_dir: str | None, src_uri: str) -> bool:
        """Whether a file the engine found must not be published (:mod:`.published`)."""
        return self.published.refused(src_dir, src_uri)

    def files(self, documentation: Iterable[str], nav, known: set[str], memo: TextCache
              ) -> Iterator[tuple[str, str | bytes]]:
        """The files baocao adds, as ``(source URI, content)``, replacing any of the same
        URI: the generated pages and the web form's configuration, or under serve with a
        failed check, the error page at every page's place."""
        if self.archive is None:
            content = errorsite.content(self.templates, self.problems)
            for uri in errorsite.uris(known, documentation, nav):
                yield uri, content
            return
        archive = self.archive
        self.memo = memo
        renderer = pages.Renderer(archive, self.templates, self.links,
                                  downloads.offered(archive, self.settings), self.memo, self.today)
        self.plan = plan(archive, renderer)
        always = errorsite.untitled_nav_uris(nav)
        if self.tracking and always is not None:
            self._compare(always)
        yield "admin/config.yml", self._cms_config()
        ics = calendar.ics(archive, renderer.today)
        if ics is not None:  # no quarter being collected: no calendar (RFC 5545 needs an event)
            yield calendar.PATH, ics
        for spec in self.plan.values():
            if spec.generated:
                yield spec.src_uri, self._content(spec)

    def _content(self, spec: PageSpec) -> str:
        found = self.wrapped.get(spec.src_uri)
        return found if found is not None else spec.build()

    def _compare(self, always: list[str]) -> None:
        """Which pages of the plan to write again (see :mod:`.incremental`)."""
        previous = self.previous
        draw = None if previous is None else incremental.to_draw(previous.archive, self.archive, self.changed_files)
        self.modified = None if previous is None else set(always)
        self.text_only = draw is not None
        for uri, spec in self.plan.items():
            if draw is not None and uri not in draw and uri in previous.pages:
                self.digests[uri] = previous.pages[uri]
                if spec.generated:
                    self.wrapped[uri] = previous.generated[uri]
                continue
            self.wrapped[uri] = spec.build()
            self.digests[uri] = incremental.digest(self.wrapped[uri], spec.title, spec.searchable)
            if self.modified is not None and previous.pages.get(uri) != self.digests[uri]:
                self.modified.add(uri)

    def changed(self, uri: str) -> bool:
        """Whether the engine must read and write the page ``uri`` again (tracking only)."""
        return self.modified is None or uri in self.modified or uri not in self.plan

    def _cms_config(self) -> str:
        try:
            # It reads the files' front matter and names, never their text: a rebuild
            # after text changes only gives the same configuration.
            if not (self.text_only and "cms" in self.kept):
                self.kept["cms"] = cms.dump(cms.config(self.archive, self.settings.cms,
                                                       local_url=self.settings.cms_local,
                                                       site_url=self.site_url or None))
            return self.kept["cms"]
        except ValueError as exc:
            raise BuildFailed(str(exc)) from exc

    def drawn(self) -> list[str]:
        """Content pages (reports, sections) whose HTML baocao draws (no Markdown to convert)."""
        return [uri for uri, spec in self.plan.items() if not spec.generated]

    def source(self, uri: str) -> str | None:
        """A content page's source: its finished HTML as one marked comment (the check
        has read and validated every content file: MkDocs neither reads the file again
        nor parses its front matter)."""
        spec = self.plan.get(uri)
        if spec is None or spec.generated:
            return None
        return "\n" + self._content(spec)

    def meta(self, uri: str) -> dict | None:
        """What a page of the plan sets in its metadata (title: escaped by construction,
        as Material prints it as it is; kept out of search)."""
        spec = self.plan.get(uri)
        if spec is None:
            return None
        found: dict = {"title": spec.title}
        if not spec.searchable:
            found["search"] = {"exclude": True}
        return found

    def content(self, uri: str, html: str) -> tuple[str, list[dict] | None]:
        """A page's converted content with its drawn HTML put back, and its table of
        contents (toc tokens) when the page is baocao's."""
        html = fragments.unwrap_text(html)
        return html, (toc_tokens(headings(html)) if uri in self.plan else None)

    @staticmethod
    def finished(output: str) -> str:
        """A finished page with its ready-made fragments (tables, charts) put back."""
        return fragments.unwrap(output)


def templates_folder(theme_dirs: Iterable[str]) -> Path:
    """The theme folder that holds baocao's templates (the theme's ``custom_dir``)."""
    for folder in theme_dirs:
        if (Path(folder) / TEMPLATES).is_dir():
            return Path(folder)
    raise BuildFailed(f"Không tìm thấy thư mục mẫu trang {TEMPLATES}/ trong custom_dir của theme.")


class Engine:
    """What lasts across the builds of one process (see the module's docstring)."""

    #: under ``baocao serve``, how often MkDocs' watcher looks for saved files (its own:
    #: every half second; a snapshot of 1,900 files takes about 40 ms).
    WATCH_SECONDS = 0.25

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        logs.quiet_git_dates()
        self.memory = Memory()
        self.command: str | None = None
        self.stage: Stage | None = None
        #: every page the last good build had: under serve, each shows the problems while they last.
        self.known: set[str] = set()
        self.session: BuildSession | None = None
        #: ``mkdocs serve --dirty`` (what ``baocao serve`` runs): rebuilds write what changed.
        self.tracking = False
        #: kept between the builds of a preview server (saved when it stops).
        self.cache: FileCache | None = None
        self.memo: TextCache | None = None
        self.previous: Previous | None = None
        self.outputs: dict[str, str] = {}
        self.search = SearchEntries()
        self.theme = ThemeCache()
        self.kept: dict[str, str] = {}

    @property
    def serving(self) -> bool:
        return self.memory.serving

    def start(self, command: str, dirty: bool) -> None:
        """The command this process runs. ``mkdocs serve`` builds into its own temporary
        folder and a ``--dirty`` build needs the old files in place: neither is staged."""
        self.memory.serving = command == "serve"
        self.command = None if dirty else command
        self.tracking = self.serving and dirty
        if self.tracking:
            logs.quiet_dirty_builds()

    def site_dir(self, site: Path, restore: Callable[[Path], None]) -> Path | None:
        """The folder a ``mkdocs build`` writes into: a staging folder beside ``site``
        (stale ones removed first); None when the build is not staged."""
        if self.command not in ("build", "gh-deploy"):
            return None
        staging.clean_stale(site)
        self.stage = Stage(site, staging.staging_dir(site), restore)
        return self.stage.staging

    def shutdown(self, failed: bool) -> None:
        """After the build (MkDocs' ``finally``): swap the staging folder in when the whole
        build succeeded, else throw it away; the configuration gets its site folder back."""
        for kept in (self.cache, self.memo):
            if kept is not None:
                kept.save()
        stage, self.stage = self.stage, None
        if stage is None:
            return
        if not failed and stage.staging.is_dir():
            staging.swap_in(stage.staging, stage.site)
            self.log.info(f"Đã thay trang web mới vào {stage.site}")
        else:
            shutil.rmtree(stage.staging, ignore_errors=True)
        stage.restore(stage.site)

    def begin(self, config_file: Path, docs_dir: str, extra: dict | None, *, strict: bool, directory_urls: bool,
              theme_dirs: list[str], site_url: str | None = None) -> BuildSession:
        """Check everything before the engine empties the site folder: on errors (or on
        warnings under ``strict``) every problem is logged and the build stops, so the last
        good site stays. Under serve a failed check does not stop it: the session then
        draws the error site. ``config_file``: the engine's configuration (``mkdocs.yml``),
        whose folder is the repository's root."""
        root = config_file.resolve().parent
        try:
            settings = siteconfig.read(extra)
            today = deadlines.today()
        except (siteconfig.SettingsError, deadlines.BadDate) as exc:
            raise BuildFailed(str(exc)) from None
        self.memory.before_check()
        if self.serving and self.cache is None:
            self.cache = FileCache(root)
        # Before the check reads them: a file saved meanwhile differs at the next build.
        files = incremental.snapshot(root) if self.tracking else {}
        result = run_check(root, cache=self.cache)
        if self.serving and self.cache.dirty and self.memory.builds == 1:
            self.cache.save()
        for problem in result.problems:
            self.log.log(log_level(problem), problem.text())
        links = Links(directory_urls)
        templates = Templates(templates_folder(theme_dirs), links, self.theme.bytecode if self.serving else None)
        session = BuildSession(root, settings, self.serving, links, templates,
                               PublishedFiles(docs_dir, settings.allowed), result.archive,
                               result.problems, site_url=site_url or "", tracking=self.tracking,
                               kept=self.kept if self.serving else {}, today=today)
        self.session = session
        if self.tracking:
            self.search.begin()
            session.frame = incremental.frame(config_file, theme_dirs, settings, incremental.git_head(root), today)
            session.snapshot = files
            if self.previous is not None and self.previous.frame == session.frame:
                session.previous = self.previous
                session.changed_files = incremental.changed_files(self.previous.files, files)
            self.previous = None  # until this build ends well
        # Under --strict a warning fails the build too: fail here, before the site is emptied.
        if failing(result.problems, strict):
            if self.serving:
                session.archive = None
                self.log.error(errorsite.SERVE_FAILED.format(summary(result.problems)))
                return session
            raise BuildFailed(f"Kiểm tra nội dung: {summary(result.problems)} Trang web cũ được giữ nguyên; "
                              "hãy sửa các lỗi trên rồi chạy lại.")
        # The web form's settings are checked here too, before the site is emptied.
        try:
            cms.backend_settings(settings.cms)
        except ValueError as exc:
            raise BuildFailed(str(exc)) from exc
        self.memory.after_check()
        return session

    def memo_for(self, root: Path, markdown_version: str) -> TextCache:
        """The converted texts of earlier builds (a preview server keeps one for its life)."""
        if self.memo is not None:
            return self.memo
        memo = TextCache(root, "converted", f"markdown {markdown_version}")
        if self.serving:
            self.memo = memo
        return memo

    def end(self, site: Path) -> None:
        """After a build: the memo kept, the pages remembered, the downloads written, and
        under ``baocao serve`` what the next build compares with."""
        session = self.session
        if session is None:
            return
        self.known.update(session.plan)
        if session.memo is not None and (self.memo is None or self.memory.builds == 1):
            session.memo.save()
        if session.tracking:
            incremental.prune(site, set(self.outputs.values()) - set(session.outputs.values()))
            self.outputs = session.outputs
            if session.archive is not None and session.digests:  # (no digests: no nav of its own)
                self.previous = Previous(session.archive, session.frame, session.digests,
                                         {u: session.wrapped[u] for u, s in session.plan.items() if s.generated},
                                         session.snapshot)
        if session.archive is None:
            return
        try:
            downloads.write_all(session.archive, session.settings, session.links, site, self.log.info)
        except downloads.DownloadError as exc:
            raise BuildFailed(str(exc)) from exc
