// Reading one writer's metadata through IVssExamineWriterMetadata (and Ex/Ex2
// where present): identity, components, files, exclusions, restore method, from the
// writer's saved document or call by call.
#pragma once
#include <vsbackup.h>

#include "../core/types.h"

namespace vss {
namespace com {

// From the writer's saved document (SaveAsXML) read by the one XML reader; call by call
// (the walk) when the reader refuses the document.
WriterMetadata ReadWriterMetadata(IVssExamineWriterMetadata* examine);
// One file description (takes ownership of `desc` and releases it).
FileDescriptor ReadFiledesc(IVssWMFiledesc* desc);

}  // namespace com
}  // namespace vss
