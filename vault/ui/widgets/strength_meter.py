"""The passphrase strength meter: a bar for the zxcvbn score and a sentence saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from vault.crypto.strength import StrengthReport, check_passphrase

_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


class StrengthMeter(QWidget):
    """Shows ``check_passphrase``'s verdict; ``report`` is the last one computed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("strengthBar")
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Passphrase strength")
        self.label = QLabel(self)
        self.label.setObjectName("hintText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Passphrase strength verdict")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.report: StrengthReport | None = None
        self.update_for("")

    def update_for(self, passphrase: str) -> StrengthReport | None:
        if not passphrase:
            self.report = None
            self.bar.setValue(0)
            self._set_level("weak")
            self.label.setText("At least 12 characters. A few unrelated words work well.")
            return None
        report = check_passphrase(passphrase)
        self.report = report
        score = max(0, min(4, int(report.score)))
        self.bar.setValue(score)
        self._set_level("good" if report.acceptable else ("fair" if score >= 2 else "weak"))
        verdict = _WORDS[score]
        if report.acceptable:
            self.label.setText(f"{verdict}. Would take {report.crack_time_display} to guess.")
        else:
            self.label.setText(f"{verdict}. {report.reason}")
        self.bar.setAccessibleDescription(self.label.text())
        return report

    def _set_level(self, level: str) -> None:
        self.bar.setProperty("level", level)
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
