# Sourced on the lent GPU machine (docs/gpu.md): unpacks the node binary, node_modules and the Vulkan
# loader + GLVND packages that scripts/device/pack.sh put in .dev/ and .gl/ (carry both to the run).
for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
ldconfig -p | grep -q "libX11.so.6 " || { for f in .gl/x/*.deb; do dpkg -x $f /; done; ldconfig; echo "X libs unpacked"; }
python3 - <<'PY'
import lzma, shutil, tarfile, os
with lzma.open('.dev/node.xz') as f, open('/usr/local/bin/node', 'wb') as o: shutil.copyfileobj(f, o)
os.chmod('/usr/local/bin/node', 0o755)
tarfile.open('.dev/nm.txz').extractall('.')
PY
for p in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f $p ]; then export VK_DRIVER_FILES=$p; break; fi
done
export PATH=/usr/local/bin:$PATH XDG_RUNTIME_DIR=/tmp
L=$(ldconfig -p | grep -m1 "libGLX_nvidia.so.0 " | awk "{print \$NF}"); echo "GLX_nvidia: $L"; ldd "$L" | grep "not found"
echo "ICD: $VK_DRIVER_FILES"; cat "$VK_DRIVER_FILES"; nvidia-smi -L; node --version; nproc
