; Included by electron-builder's NSIS installer (build/installer.nsh is picked up from buildResources).
; The per-machine data folder (electron/store/data-dir.ts): made at install, writable by every Windows user of
; the PC (the Users group by its SID S-1-5-32-545, so it works on a Windows of any language), never removed
; on uninstall (deleteAppDataOnUninstall: false; it holds the payments).
!include LogicLib.nsh
!include WinMessages.nsh

; `diemthu <command>` in any cmd window: $INSTDIR\bin (it holds only diemthu.cmd) goes on the machine's PATH.
; An NSIS string holds at most NSIS_MAX_STRLEN characters: a longer PATH reads as empty with the error flag
; set, or cut, and a PATH built longer than that is cut when copied. Writing either back would wreck the PC's
; PATH, so the PATH is written only when it was read whole with room to spare for the folder; otherwise it is
; left alone, the install log says so and docs/cai-dat.md (section 2) tells IT how to add the folder by hand.
!define DIEMTHU_ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define DIEMTHU_BIN "$INSTDIR\bin"
!define DIEMTHU_PATH_ROOM 16

; Out: $R0 the machine's PATH; $R1 "ok" when it was read whole and a longer one still fits an NSIS string.
!macro diemthuReadPath
  ClearErrors
  ReadRegStr $R0 HKLM "${DIEMTHU_ENV_KEY}" "Path"
  ${If} ${Errors}
  ${OrIf} $R0 == ""
    StrCpy $R1 "unreadable"
  ${Else}
    StrLen $R2 $R0
    StrLen $R3 "${DIEMTHU_BIN}"
    IntOp $R2 $R2 + $R3
    IntOp $R2 $R2 + ${DIEMTHU_PATH_ROOM}
    ${If} $R2 >= ${NSIS_MAX_STRLEN}
      StrCpy $R1 "too-long"
    ${Else}
      StrCpy $R1 "ok"
    ${EndIf}
  ${EndIf}
!macroend

; In: $R0 a PATH. Out: $R3 that PATH without its entries naming ${DIEMTHU_BIN} (case-insensitive, with or
; without a final \), every other entry kept as it was (empty ones too); $R4 how many were taken out.
!macro diemthuPathWithout
  StrCpy $R3 ""
  StrCpy $R4 0
  StrCpy $R5 $R0
  StrCpy $R9 "first"
  ${Do}
    StrCpy $R7 0
    ${Do}
      StrCpy $R8 $R5 1 $R7
      ${If} $R8 == ";"
      ${OrIf} $R8 == ""
        ${ExitDo}
      ${EndIf}
      IntOp $R7 $R7 + 1
    ${Loop}
    StrCpy $R6 $R5 $R7
    ${If} $R6 == "${DIEMTHU_BIN}"
    ${OrIf} $R6 == "${DIEMTHU_BIN}\"
      IntOp $R4 $R4 + 1
    ${ElseIf} $R9 == "first"
      StrCpy $R3 $R6
      StrCpy $R9 ""
    ${Else}
      StrCpy $R3 "$R3;$R6"
    ${EndIf}
    ${If} $R8 == ""
      ${ExitDo}
    ${EndIf}
    IntOp $R7 $R7 + 1
    StrCpy $R5 $R5 "" $R7
  ${Loop}
!macroend

!macro diemthuSaveRegisters
  Push $R0
  Push $R1
  Push $R2
  Push $R3
  Push $R4
  Push $R5
  Push $R6
  Push $R7
  Push $R8
  Push $R9
!macroend

!macro diemthuRestoreRegisters
  Pop $R9
  Pop $R8
  Pop $R7
  Pop $R6
  Pop $R5
  Pop $R4
  Pop $R3
  Pop $R2
  Pop $R1
  Pop $R0
!macroend

!macro diemthuPathNotChanged what
  DetailPrint "Không ${what} ${DIEMTHU_BIN} trong biến PATH của máy (PATH $R1): PATH giữ nguyên. Xem docs/cai-dat.md mục 2."
  ${IfNot} ${Silent}
    MessageBox MB_OK|MB_ICONINFORMATION "Không ${what} thư mục ${DIEMTHU_BIN} trong biến PATH của máy (PATH quá dài hoặc không đọc được), PATH giữ nguyên.$\r$\nLệnh diemthu vẫn chạy bằng đường dẫn đầy đủ; cách tự thêm: tài liệu cài đặt, mục 2."
  ${EndIf}
!macroend

!macro diemthuAddToPath
  !insertmacro diemthuSaveRegisters
  !insertmacro diemthuReadPath
  ${If} $R1 != "ok"
    !insertmacro diemthuPathNotChanged "thêm"
  ${Else}
    !insertmacro diemthuPathWithout
    ${If} $R4 == 0
      StrCpy $R2 $R0 1 -1
      ${If} $R2 == ";"
        WriteRegExpandStr HKLM "${DIEMTHU_ENV_KEY}" "Path" "$R0${DIEMTHU_BIN}"
      ${Else}
        WriteRegExpandStr HKLM "${DIEMTHU_ENV_KEY}" "Path" "$R0;${DIEMTHU_BIN}"
      ${EndIf}
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
    ${EndIf}
  ${EndIf}
  !insertmacro diemthuRestoreRegisters
!macroend

!macro diemthuRemoveFromPath
  !insertmacro diemthuSaveRegisters
  !insertmacro diemthuReadPath
  ${If} $R1 != "ok"
    !insertmacro diemthuPathNotChanged "xóa"
  ${Else}
    !insertmacro diemthuPathWithout
    ${If} $R4 > 0
      WriteRegExpandStr HKLM "${DIEMTHU_ENV_KEY}" "Path" $R3
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
    ${EndIf}
  ${EndIf}
  !insertmacro diemthuRestoreRegisters
!macroend

; NSIS has no $COMMONAPPDATA (makensis -WX, as electron-builder runs it, stops on the unknown constant): with
; the shell context "all" (a per-machine install already runs in it) $APPDATA is C:\ProgramData.
!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\DiemThu"
  nsExec::ExecToLog 'icacls "$APPDATA\DiemThu" /grant *S-1-5-32-545:(OI)(CI)M /T'
  !insertmacro diemthuAddToPath
!macroend

!macro customUnInstall
  !insertmacro diemthuRemoveFromPath
!macroend
