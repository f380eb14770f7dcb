@echo off
rem diemthu status, diemthu verify... in any cmd window: the installer adds this folder (bin) to the PATH of the PC (docs/cai-dat.md).
"%~dp0..\diemthu.exe" --cli %*
exit /b %ERRORLEVEL%
