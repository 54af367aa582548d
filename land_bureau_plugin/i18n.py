"""Translation: one `tr()` for the whole plugin and the mapping from QGIS's locale to our .qm files.

QGIS stores its UI language in the setting `locale/userLocale` (Chinese is `zh-Hans`, older profiles `zh_CN`
or `zh`); without a choice there it follows the system locale. All of those map to our zh_CN file;
anything without a translation falls back to English, the source language.

Which language the plugin speaks is decided by the translation in use, never by the locale setting again: `tr()`
answers from whatever translator the application has (ours, installed for QGIS's locale when the plugin loads, or
one a script or test installed), so the few texts the vocabulary carries in both languages (role and field
meanings, `is_chinese`) ask that same translation which language it is — a translator installed with the setting
left English gives Chinese everywhere, and the setting saying Chinese without our translation gives English
everywhere, never a mix.
"""
from __future__ import annotations

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "@default"  # pylupdate5 files free tr("...") calls under this context
TRANSLATIONS = {"zh": "zh_CN"}  # language prefix → translation file suffix
_installed: list[QTranslator] = []
# The translation's own language, by name: the zh_CN file translates "English" as "简体中文"; untranslated it stays
# "English". LANGUAGES: such a name → the translation suffix.
LANGUAGE_CONTEXT, LANGUAGE_MARK = "language", "English"
LANGUAGES = {"简体中文": "zh_CN"}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    return text


QT_TRANSLATE_NOOP("language", "English")  # collected into the .ts: translate it as the file's language name


def tr(text: str) -> str:
    """Translate a UI string (marked for pylupdate5 by the call itself)."""
    return QCoreApplication.translate(CONTEXT, text)


def translate_in(context: str, text: str) -> str:
    """Translate a string that was marked with QT_TRANSLATE_NOOP(context, text) elsewhere (e.g. reason templates)."""
    return QCoreApplication.translate(context, text)


def qgis_locale() -> str:
    """The locale QGIS itself runs in, e.g. 'zh-Hans', 'zh_CN', 'en_US' (the user's choice, else the system's)."""
    user_locale = QgsSettings().value("locale/userLocale", "", type=str) or ""
    return user_locale or QLocale.system().name()


def translation_suffix(locale: str) -> str | None:
    """Map a QGIS locale code to our translation suffix: zh-Hans / zh_CN / zh / zh-CN → 'zh_CN'; else None."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return TRANSLATIONS.get(language)


def ui_language() -> str | None:
    """The suffix of the translation `tr()` uses now ("zh_CN"; None when none of ours is installed)."""
    return LANGUAGES.get(translate_in(LANGUAGE_CONTEXT, LANGUAGE_MARK))


def is_chinese() -> bool:
    """Whether the plugin speaks Chinese now: the translation in use, as for every `tr()` text (not the locale
    setting, which a translator installed by a script or test does not change)."""
    return ui_language() == "zh_CN"


def install_translator(locale: str | None = None) -> bool:
    """Load the plugin's .qm for `locale` (default: QGIS's) into the application; True if one was installed."""
    from . import errors
    from .resources_path import i18n_dir

    remove_translator()
    errors.use_translator(translate_in)  # every LandBureauError (profile errors too) in the UI language
    suffix = translation_suffix(locale or qgis_locale())
    if not suffix:
        return False
    qm = i18n_dir() / f"land_bureau_plugin_{suffix}.qm"
    translator = QTranslator()
    if not qm.is_file() or not translator.load(str(qm)):
        return False
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return True


def remove_translator() -> None:
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
