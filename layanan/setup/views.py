"""The first-run page: server-rendered, no JavaScript (services.py holds the rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layanan.catalog.models import StandardVersion, VersionStatus
from layanan.core.errors import ApplicationError
from layanan.core.models import Unit
from layanan.core.orgfile import OrganisationFileError

from . import services
from .forms import AdminForm, OrganisationFileForm, OrganisationForm, StandardsForm, UnitForm

MAX_ORGANISATION_FILE = 1024 * 1024


def start(request, token: str):
    """Step 1: the first administrator, with the printed one-time token."""
    if services.valid_token(token) is None:
        raise Http404
    form = AdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.first_admin_create(
                token=token,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
            )
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"password1": exc.messages}).items():
                form.add_error(field if field in form.fields else "password1", errors)
        except ApplicationError as exc:
            raise Http404 from exc
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("setup:steps")
    return render(request, "setup/start.html", {"form": form}, status=400 if form.errors else 200)


def _setting_up(request, *, post: bool = True):
    """The administrator whose set-up is unfinished, else 404 (for everyone else the page
    does not exist, whatever the method)."""
    if services.setup_in_progress_for(request.user) is None:
        raise Http404
    if post and request.method != "POST":
        raise _NotAllowed
    return request.user


class _NotAllowed(Exception):
    pass


def _post_only(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _NotAllowed:
            return HttpResponseNotAllowed(["POST"])

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _steps(request, status=200, **context):
    organisation = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    context.setdefault("organisation_form", OrganisationForm())
    context.setdefault("file_form", OrganisationFileForm())
    context.setdefault("unit_form", UnitForm())
    context.setdefault("standards_form", StandardsForm())
    units = list(Unit.objects.order_by("path"))
    for unit in units:
        unit.indent = "— " * max(unit.path.count("/") - 1, 0)
    drafts = (
        StandardVersion.objects.filter(
            status=VersionStatus.DRAFT, standard__published_version__isnull=True
        )
        .select_related("standard__unit")
        .order_by("standard__unit__path", "standard__name")
    )
    context.update(organisation=organisation, units=units, drafts=drafts)
    return render(request, "setup/steps.html", context, status=status)


def steps(request):
    """Steps 2–5 on one page: organisation, units, standards, publishing, finishing."""
    _setting_up(request, post=False)
    return _steps(request)


@_post_only
def organisation(request):
    actor = _setting_up(request)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        unit = _saved_or_errors(
            form, lambda: services.organisation_create(actor=actor, values=form.cleaned_data)
        )
        if unit is not None:
            messages.success(request, _("%(name)s is set up.") % {"name": unit.name})
            return redirect("setup:steps")
    return _steps(request, status=400, organisation_form=form)


def _saved_or_errors(form, save):
    """What ``save()`` returns, or None with its refusal shown on ``form`` (every problem an
    organisation check found, or the service's one message)."""
    try:
        return save()
    except OrganisationFileError as exc:
        for problem in exc.problems:
            form.add_error(None, problem.message)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    return None


@_post_only
def organisation_file(request):
    actor = _setting_up(request)
    form = OrganisationFileForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_ORGANISATION_FILE:
                raise ApplicationError(_("The file is larger than 1 MB."), "too_large")
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ApplicationError(_("The file is not UTF-8 text."), "not_text") from exc
            report = services.organisation_file_load(actor=actor, text=text)
        except OrganisationFileError as exc:
            problems = exc.problems
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return _steps(request, load_report=report)
    return _steps(request, status=400, file_form=form, file_problems=problems)


@_post_only
def unit(request):
    actor = _setting_up(request)
    form = UnitForm(request.POST)
    if form.is_valid():
        values = {**form.cleaned_data, "parent": form.cleaned_data["parent"].slug}
        created = _saved_or_errors(form, lambda: services.unit_add(actor=actor, values=values))
        if created is not None:
            messages.success(request, _("%(name)s was added.") % {"name": created.name})
            return redirect("setup:steps")
    return _steps(request, status=400, unit_form=form)


@_post_only
def standards(request):
    actor = _setting_up(request)
    form = StandardsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.standards_import(
                actor=actor, uploads=form.cleaned_data["files"], unit=form.cleaned_data["unit"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _steps(request, import_report=report)
    return _steps(request, status=400, standards_form=form)


@_post_only
def publish(request):
    actor = _setting_up(request)
    ids = [int(v) for v in request.POST.getlist("version") if v.isdigit()]
    try:
        count = services.drafts_publish(actor=actor, version_ids=ids)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Standards published: %(count)d.") % {"count": count})
    return redirect("setup:steps")


@_post_only
def finish(request):
    actor = _setting_up(request)
    try:
        services.first_run_finish(actor=actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("setup:steps")
    messages.success(request, _("The set-up is finished. Welcome to Layanan."))
    return redirect("admin:index")
