; Included by electron-builder's NSIS installer (build/installer.nsh is picked up from buildResources).
; The per-machine data folder (electron/store/data-dir.ts): made at install, writable by every Windows user of
; the PC (the Users group by its SID S-1-5-32-545, so it works on a Windows of any language), never removed
; on uninstall (deleteAppDataOnUninstall: false; it holds the payments).
!macro customInstall
  CreateDirectory "$COMMONAPPDATA\DiemThu"
  nsExec::ExecToLog 'icacls "$COMMONAPPDATA\DiemThu" /grant *S-1-5-32-545:(OI)(CI)M /T'
!macroend
