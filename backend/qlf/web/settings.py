"""Django settings of QLF. Everything variable comes from :mod:`qlf.config`."""

from __future__ import annotations

import os

import bokeh.util.paths
import dj_database_url

from qlf.config import private_file, read_env

ENV = read_env()

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.allowed_hosts

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "qlf.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "qlf.web.urls"
WSGI_APPLICATION = "qlf.web.wsgi.application"
ASGI_APPLICATION = "qlf.web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if ENV.database_url:
    DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
else:
    # WAL lets the daemon write while the server reads (DESIGN.md 2).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": private_file(ENV.var_dir / "qlf.sqlite3"),  # var/ 0700, the file 0600
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up Postgres; SQLite builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

if ENV.redis_url:
    # Pub/sub: one Redis message per event and server process, fanned out to its websockets in
    # process (the list-based layer sends one per client and fell behind at 50 clients).
    # Nothing is queued in Redis: a server that misses an event fills the hole from the journal.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [ENV.redis_url], "prefix": ENV.channel_prefix},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = ENV.var_dir / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic's target; WhiteNoise expects it
WHITENOISE_USE_FINDERS = True  # serve app assets (admin, API docs) without collectstatic
# BokehJS of the installed bokeh package, at /static/bokeh/js/bokeh.min.js: the plots' JSON and
# the library that draws them always have the same version, and nothing comes from a CDN.
STATICFILES_DIRS = [("bokeh", bokeh.util.paths.bokehjs_path())]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A sign-in lasts a night shift (12 h), across browser restarts; then the user signs in again.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
# Behind an https reverse proxy (QLF_HTTPS=1, which sets X-Forwarded-Proto): cookies travel over
# https only. Plain http on the loopback (the default) keeps them usable without it.
HTTPS = not DEBUG and os.environ.get("QLF_HTTPS", "0").strip().lower() in {"1", "true", "yes"}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous request gets 401 (with WWW-Authenticate), not 403.
        "qlf.dashboard.token_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qlf.dashboard.permissions.IsViewer"],
    "DEFAULT_RENDERER_CLASSES": [
        "qlf.dashboard.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qlf.dashboard.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "QLF API",
    "DESCRIPTION": "Quick Look Framework: exposures, processing, QA, trends and pipeline control.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProcessStatusEnum": "qlf.dashboard.models.ProcessStatus",
        "JobStatusEnum": "qlf.dashboard.models.JobStatus",
        "QaStatusEnum": "qlf.dashboard.models.QaStatus",
        "StepStateEnum": "qlf.dashboard.models.StepState",
    },
}

# QLF's own paths and services, for the dashboard's selectors and services.
QLF = {
    "VAR_DIR": ENV.var_dir,
    "DATA_DIR": ENV.data_dir,
    "SCRATCH_DIR": ENV.scratch_dir,
    "CALIB_DIR": ENV.calib_dir,
    "SPECS_DIR": ENV.specs_dir,
    "MAPPING_DIR": ENV.mapping_dir,
    "PIPELINE_URL": ENV.pipeline_url,
    "EXECUTOR": ENV.executor,
    "EMBEDDED_DAEMON": ENV.embedded_daemon,
    "DISK_WARN_PCT": ENV.disk_warn_pct,
    "DISK_ALARM_PCT": ENV.disk_alarm_pct,
    "NOTIFY": ENV.notify,
    "TOKEN_DAYS": ENV.token_days,
    "TRUSTED_PROXIES": list(ENV.trusted_proxies),
    "EFFTIME_GOALS": ENV.efftime_goals,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
