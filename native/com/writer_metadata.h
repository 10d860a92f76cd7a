// Reading one writer's metadata through IVssExamineWriterMetadata (and Ex/Ex2
// where present): identity, components, files, exclusions, restore method.
#pragma once
#include <vsbackup.h>

#include "../core/types.h"

namespace vss {
namespace com {

WriterMetadata ReadWriterMetadata(IVssExamineWriterMetadata* examine);
// One file description (takes ownership of `desc` and releases it).
FileDescriptor ReadFiledesc(IVssWMFiledesc* desc);

}  // namespace com
}  // namespace vss
