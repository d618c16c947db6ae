"""Save a spreadsheet as a password-protected XLSX with LibreOffice (run by the system Python).

Usage: /usr/bin/python3 uno_encrypt.py SOURCE TARGET PASSWORD PROFILE_URL

`soffice --convert-to` cannot set a password in LibreOffice 7.4, so this drives it over UNO the
way LibreOffice's own export tests do: EncryptionData with CryptoType and OOXPassword. The result
is what Excel writes too: an OLE compound file holding an "EncryptedPackage" stream.
"""

import os
import signal
import subprocess
import sys
import time

import uno  # only in the system Python that LibreOffice's python3-uno installs
from com.sun.star.beans import NamedValue, PropertyValue


def prop(name, value):
    return PropertyValue(Name=name, Value=value)


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main(source, target, password, profile):
    pipe = f"cms_tests_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        start_new_session=True,
    )
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
        )
        encryption = uno.Any(
            "[]com.sun.star.beans.NamedValue",
            (NamedValue("CryptoType", "Standard"), NamedValue("OOXPassword", password)),
        )
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            (prop("FilterName", "Calc MS Excel 2007 XML"), prop("EncryptionData", encryption)),
        )
        document.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge drops as LibreOffice quits
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            os.killpg(office.pid, signal.SIGKILL)
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:5])
