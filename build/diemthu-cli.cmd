@echo off
rem IT's tools without a window: diemthu-cli status --json, diemthu-cli verify (docs/cai-dat.md).
"%~dp0diemthu.exe" --cli %*
exit /b %ERRORLEVEL%
