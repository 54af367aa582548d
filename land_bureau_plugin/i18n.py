"""Translation: one `tr()` for the whole plugin and the mapping from QGIS's locale to our .qm files.

QGIS stores its UI language in the setting `locale/userLocale` (Chinese is `zh-Hans`, older profiles `zh_CN`
or `zh`); without a choice there it follows the system locale. All of those map to our zh_CN file;
anything without a translation falls back to English, the source language.
"""
from __future__ import annotations

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "@default"  # pylupdate5 files free tr("...") calls under this context
TRANSLATIONS = {"zh": "zh_CN"}  # language prefix → translation file suffix
_installed: list[QTranslator] = []


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


def is_chinese() -> bool:
    return translation_suffix(qgis_locale()) == "zh_CN"


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
